package rivery

import (
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Routes: the path of a request with each ID replaced by a placeholder
// (Endpoint.Route), derived here once per call for every service, so an
// endpoint added later gets its route with no code of its own.

// collections maps a path segment naming a collection to the placeholder
// of the ID that follows it.
var collections = map[string]string{
	"accounts":              "account_id",
	"environments":          "environment_id",
	"rivers":                "river_id",
	"runs":                  "run_id",
	"sub_rivers":            "sub_river_id",
	"logic_steps":           "step_id",
	"activities_run_groups": "run_group_id",
	"operations":            "operation_id",
	"versions":              "version_id",
	"connections":           "connection_id",
	"connections_types":     "connection_type",
	"tokens":                "token_id",
	"variables":             "variable_key",
	"dataframes":            "dataframe",
	"teams":                 "team_id",
	"users":                 "user_id",
	"pull_requests":         "pull_request_id",
	"river_groups":          "group_id",
}

// notIDs are the segments after a collection that name a route of their
// own, not a member: POST A/users/privileged invites.
var notIDs = map[string]map[string]bool{"users": {"privileged": true}}

// typedBy renames the placeholder after a collection when the segment after
// it is the key: E/connections/{connection_type}/files takes a type.
var typedBy = map[string]map[string]string{"connections": {"files": "connection_type"}}

// Fixed routes of requests whose path is not the SDK's to describe.
const (
	routeLogsURL       = "{logs_url}" // a presigned URL: its path is part of the credential
	routeBoomiExchange = "/auth/jwt/generate/{boomi_account_id}"
)

// endpointOf describes a request of method to rawURL (absolute, maybe
// with a query): its host and port, its route (route when not empty,
// else derived from the path) and the IDs its path names. Every string
// in it points into rawURL or is held by the client's route cache, so
// describing a request seen before allocates nothing.
func (c *Client) endpointOf(method, rawURL, route string) Endpoint {
	e := Endpoint{Method: method}
	rest, port := rawURL, 0
	switch {
	case strings.HasPrefix(rest, "https://"):
		rest, port = rest[len("https://"):], 443
	case strings.HasPrefix(rest, "http://"):
		rest, port = rest[len("http://"):], 80
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	e.ServerAddress, e.ServerPort = hostPort(rest[:end], port)
	path := rest[end:]
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	var buf [256]byte
	b := append(append(buf[:0], method...), ' ')
	if route != "" {
		b = append(b, route...)
	} else {
		b = appendRoute(b, path, &e.IDs)
	}
	e.name = c.routes.intern(b)
	e.Route = e.name[len(method)+1:]
	return e
}

// hostPort splits host[:port] (user information dropped, IPv6 brackets
// removed), with port when it names none.
func hostPort(host string, port int) (string, int) {
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	name, p := host, ""
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i >= 0 {
			name, p = host[1:i], strings.TrimPrefix(host[i+1:], ":")
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		name, p = host[:i], host[i+1:]
	}
	if p == "" {
		return name, port
	}
	if n, err := strconv.Atoi(p); err == nil && n > 0 && n < 1<<16 {
		port = n
	}
	return name, port
}

// appendRoute appends path's route to b and records in ids the account,
// environment, river, run and run group IDs it names.
func appendRoute(b []byte, path string, ids *IDs) []byte {
	if path == "" || path[0] != '/' {
		return append(b, '/')
	}
	prev := "" // the segment before, when it was kept as it is
	for rest, more := path[1:], true; more; {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		b = append(b, '/')
		name, known := collections[prev]
		if known && notIDs[prev][seg] {
			known = false
		} else if next, _, _ := strings.Cut(rest, "/"); known && typedBy[prev][next] != "" {
			name = typedBy[prev][next]
		}
		switch {
		case seg == "":
			prev = ""
			continue
		case known:
			recordID(ids, name, seg)
		case plainSegment(seg):
			b = append(b, seg...)
			prev = seg
			continue
		}
		b = append(b, '{')
		switch {
		case known:
			b = append(b, name...)
		case prev != "" && !strings.ContainsAny(prev, "0123456789"):
			b = append(append(b, strings.TrimSuffix(prev, "s")...), "_id"...)
		default:
			b = append(b, "id"...)
		}
		b = append(b, '}')
		prev = ""
	}
	return b
}

// recordID keeps seg in ids when placeholder names one of its fields.
func recordID(ids *IDs, placeholder, seg string) {
	switch placeholder {
	case "account_id":
		ids.AccountID = seg
	case "environment_id":
		ids.EnvironmentID = seg
	case "river_id":
		ids.RiverID = seg
	case "run_id":
		ids.RunID = seg
	case "run_group_id":
		ids.RunGroupID = seg
	}
}

// plainSegment reports whether a path segment is kept in a route as it
// is: a short word of lower-case letters, digits, '_' and '-' that does
// not look like an ID (no digit unless it is at most 3 bytes long, like
// v1; not 16 or more hex digits).
func plainSegment(s string) bool {
	if len(s) > 48 {
		return false
	}
	digits, hex := false, true
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case '0' <= b && b <= '9':
			digits = true
		case 'a' <= b && b <= 'f':
		case 'g' <= b && b <= 'z' || b == '_' || b == '-':
			hex = false
		default:
			return false
		}
	}
	return (!digits || len(s) <= 3) && (!hex || len(s) < 16)
}

// routeCache holds each "METHOD route" string once, so describing a
// request seen before allocates nothing. Readers take the map without a
// lock; a new route replaces it with a copy. It stops growing at
// maxRoutes (a server that sends odd next_page paths cannot fill memory).
type routeCache struct {
	mu sync.Mutex
	m  atomic.Pointer[map[string]string]
}

const maxRoutes = 512

func (rc *routeCache) intern(b []byte) string {
	if m := rc.m.Load(); m != nil {
		if s, ok := (*m)[string(b)]; ok {
			return s
		}
	}
	s := string(b)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var old map[string]string
	if m := rc.m.Load(); m != nil {
		old = *m
	}
	if held, ok := old[s]; ok {
		return held
	}
	if len(old) >= maxRoutes {
		return s
	}
	next := make(map[string]string, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[s] = s
	rc.m.Store(&next)
	return s
}
