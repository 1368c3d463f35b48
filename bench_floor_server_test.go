package rivery

// The loopback server of the floor benchmarks (bench_floor_test.go): one
// canned answer per path, in the live shapes of API.md section 6, written
// once at setup, so the server costs the SDK and the floor the same.

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
)

const (
	floorAccount = "5f1a2b3c4d5e6f7081920a1b"
	floorEnv     = "6a7b8c9d0e1f2a3b4c5d6e7f"
	floorGroup   = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	floorRivers  = 100 // rivers in a List page, both families
	floorTokens  = 20  // tokens in a Tokens.List page (the v1 default page)
)

// Paths of the v1 calls the floor benchmarks make.
const (
	floorEnvPath    = "/v1/accounts/" + floorAccount + "/environments/" + floorEnv
	floorRunV1Path  = floorEnvPath + "/rivers/" + benchRiver + "/run"
	floorGetV1Path  = floorEnvPath + "/rivers/" + benchRiver + "/runs/" + benchRun
	floorRiversPath = floorEnvPath + "/rivers"
	floorTokensPath = "/v1/accounts/" + floorAccount + "/tokens"
)

// cannedAnswer is one path's answer, its header values built once.
type cannedAnswer struct {
	method string
	status int
	body   []byte
	length []string
}

// floorServer is the loopback server; conns counts the connections it
// accepted.
type floorServer struct {
	*httptest.Server
	conns atomic.Int64
}

// newFloorServer starts the server; it is closed when tb ends.
func newFloorServer(tb testing.TB) *floorServer {
	answers := map[string]cannedAnswer{}
	add := func(method, path string, status int, body []byte) {
		answers[path] = cannedAnswer{method, status, body, []string{strconv.Itoa(len(body))}}
	}
	add(http.MethodPost, pathConsoleRun, http.StatusOK, floorConsoleRunBody())
	add(http.MethodGet, pathCheckRun, http.StatusOK, floorCheckRunBody())
	add(http.MethodGet, pathConsoleRivs, http.StatusOK, floorConsoleRiversBody(floorRivers))
	add(http.MethodPost, floorRunV1Path, http.StatusAccepted, floorRunGroupBody())
	add(http.MethodGet, floorGetV1Path, http.StatusOK, floorV1RunBody())
	add(http.MethodGet, floorRiversPath, http.StatusOK, floorV1RiversBody(floorRivers))
	add(http.MethodGet, floorTokensPath, http.StatusOK, floorTokensBody(floorTokens))
	contentType := []string{"application/json"}

	fs := &floorServer{}
	fs.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		a, ok := answers[r.URL.Path]
		if !ok || a.method != r.Method {
			http.Error(w, `{"detail":"Not Found"}`, http.StatusNotFound)
			return
		}
		h := w.Header() // shared, read-only values: no allocation per answer
		h["Content-Type"] = contentType
		h["Content-Length"] = a.length
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	fs.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			fs.conns.Add(1)
		}
	}
	fs.Start()
	tb.Cleanup(fs.Close)
	return fs
}

func floorConsoleRunBody() []byte {
	return []byte(`{"run_id":"` + benchRun + `","river_id":"` + benchRiver + `","river_run_status":"W","river_run_message":"",` +
		`"run_insert_date":1732701600000,"run_update_date":1732701600000,"run_end_date":null,"is_sub_river":false}`)
}

func floorCheckRunBody() []byte {
	return []byte(`{"run_id":"` + benchRun + `","river_id":"` + benchRiver + `","river_run_status":"D","river_run_message":"Run finished",` +
		`"error_description":null,"run_insert_date":1732701600000,"run_update_date":1732701725500,"run_end_date":1732701725500,"units":0.25}`)
}

func floorRunGroupBody() []byte {
	return []byte(`{"run_group_id":"` + floorGroup + `","river_cross_id":"` + benchRiver + `","runs":[` +
		`{"run_id":"` + benchRun + `","sub_river_id":null,"status":"pending","message":"Run was triggered"}]}`)
}

func floorV1RunBody() []byte {
	return []byte(`{"run_id":"` + benchRun + `","river_cross_id":"` + benchRiver + `","run_group_id":"` + floorGroup + `",` +
		`"status":"succeeded","error_description":null,"units":0.5,"rpu":0.1,"source_name":"PostgreSQL","target_name":"Snowflake",` +
		`"start_date_utc":"2026-11-27T10:00:00Z","end_date_utc":"2026-11-27T10:02:05.5Z","total_rows":120345}`)
}

// floorConsoleRiversBody is GET /api/rivers: a bare array of nested rivers,
// every fifth one a logic river without a target.
func floorConsoleRiversBody(n int) []byte {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		typ, title, target, sched := "src_to_trgt", "Source to Target", `{"name":"Snowflake"}`, "0 0 3 * * ? *"
		if i%5 == 4 {
			typ, title, target, sched = "logic", "Logic", "null", ""
		}
		fmt.Fprintf(&buf, `{"_id":"64c1d2e3f4a5b6c7d8e9%04x","cross_id":"63b724fc690def0011%06x","river_definitions":{`+
			`"river_name":"orders %d to warehouse","river_status":"active","river_type_id":%q,"river_type_title":%q,`+
			`"river_desc":"Nightly load of the orders table, shard %d","group_id":{"_id":"64c1d2e3f4a5b6c7d8e9f0%02x","name":"Group %d"},`+
			`"is_scheduled":%t,"scheduled_time":%q,"river_time_created":"2026-01-05T09:30:00.000000+00:00",`+
			`"river_modified_date":"2026-11-20T16:45:12.345678+02:00","updated_by_name":"Ada Lovelace",`+
			`"source":{"name":"PostgreSQL"},"target":%s,"is_master_river":false,"subrivers_enabled":false,"is_api_v2":true}}`,
			i, i, i, typ, title, i, i%7, i%7, sched != "", sched, target)
	}
	buf.WriteByte(']')
	return buf.Bytes()
}

// floorV1RiversBody is the first page of GET E/rivers: n list items of 250.
func floorV1RiversBody(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"river_cross_id":"63b724fc690def0011%06x","name":"orders %d to warehouse","river_type":"source_to_target",`+
			`"group_id":"64c1d2e3f4a5b6c7d8e9f0%02x","group_name":"Group %d","river_status":"active","description":"Nightly load, shard %d"}`,
			i, i, i%7, i%7, i)
	}
	fmt.Fprintf(&buf, `],"page":1,"current_page_size":%d,"total_items":250,"next_page":"https://api.rivery.io%s?items_per_page=%d&page=2","previous_page":null}`,
		n, floorRiversPath, n)
	return buf.Bytes()
}

// floorTokensBody is GET A/tokens: n tokens, one page; every third one
// never used.
func floorTokensBody(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		lastUsed := fmt.Sprintf(`"2026-11-26T23:59:%02dZ"`, i)
		if i%3 == 2 {
			lastUsed = "null"
		}
		fmt.Fprintf(&buf, `{"token_id":"65a1b2c3d4e5f607182%05x","name":"pipeline-%d","scopes":["river:list","river:execute"],`+
			`"created_at":"2026-10-01T08:30:%02dZ","created_by":"ada@example.com","last_used_at":%s}`, i, i, i, lastUsed)
	}
	fmt.Fprintf(&buf, `],"page":1,"current_page_size":%d,"total_items":%d,"next_page":null,"previous_page":null}`, n, n)
	return buf.Bytes()
}
