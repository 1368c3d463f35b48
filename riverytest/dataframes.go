package riverytest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rivery-go/rivery"
)

// The dataframe routes.
const (
	RouteDataframes        Route = "dataframes"         // GET E/dataframes
	RouteDataframe         Route = "dataframe"          // GET E/dataframes/{name}
	RouteCreateDataframe   Route = "create_dataframe"   // POST E/dataframes
	RouteUpdateDataframe   Route = "update_dataframe"   // PUT E/dataframes/{name}
	RouteDeleteDataframe   Route = "delete_dataframe"   // DELETE E/dataframes/{name}
	RouteClearDataframe    Route = "clear_dataframe"    // POST E/dataframes/{name}/clear
	RouteDownloadDataframe Route = "download_dataframe" // GET E/dataframes/{name}/download
)

// Dataframe is a seeded dataframe.
type Dataframe struct {
	Name string
	// Settings are its connection_settings; nil for a dataframe kept in
	// Rivery's own storage.
	Settings map[string]any
	// SettingsForm is how the server sends Settings: "" (an object, as
	// Rivery's tooling reads them), "string" (a string holding the
	// object) or "fragment" (a string holding "connection_settings":
	// {...}, as Boomi's reference shows them). A PUT keeps the form it
	// sends.
	SettingsForm string
	// Files are what a download exports, in order; none for an empty
	// dataframe.
	Files []File
}

// File is a file of the fake's storage: Content, or when Content is nil,
// Size bytes generated as they are served (a large file costs no memory).
type File struct {
	Content []byte
	Size    int64
}

type dataframe struct {
	Dataframe
	id      string
	created time.Time
}

// WithDataframe seeds a dataframe.
func WithDataframe(d Dataframe) Option {
	return func(s *Server) { s.addDataframe(d) }
}

// AddDataframe adds a dataframe, or replaces the one of the same name.
func (s *Server) AddDataframe(d Dataframe) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addDataframe(d)
}

func (s *Server) addDataframe(d Dataframe) *dataframe {
	if s.pf.dataframes == nil {
		s.pf.dataframes = map[string]*dataframe{}
	}
	s.seq++
	if _, ok := s.pf.dataframes[d.Name]; !ok {
		s.pf.dfOrder = append(s.pf.dfOrder, d.Name)
	}
	d.Settings = maps.Clone(d.Settings)
	df := &dataframe{Dataframe: d, id: fmt.Sprintf("6d%022x", s.seq), created: time.Now().UTC()}
	s.pf.dataframes[d.Name] = df
	return df
}

// DataframeState returns a dataframe as the server holds it.
func (s *Server) DataframeState(name string) (Dataframe, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	df, ok := s.pf.dataframes[name]
	if !ok {
		return Dataframe{}, false
	}
	out := df.Dataframe
	out.Settings = maps.Clone(df.Settings)
	out.Files = append([]File(nil), df.Files...)
	return out, true
}

func (s *Server) dataframeRoutes(mux *http.ServeMux) {
	list := []rivery.Scope{rivery.ScopeDataframeList}
	write := []rivery.Scope{rivery.ScopeDataframeWrite}
	del := []rivery.Scope{rivery.ScopeDataframeDelete}
	s.handle(mux, "GET "+envPrefix+"/dataframes", RouteDataframes, v1, list, s.listDataframes)
	s.handle(mux, "GET "+envPrefix+"/dataframes/{name}", RouteDataframe, v1, list, s.dataframeRoute(s.getDataframe))
	s.handle(mux, "POST "+envPrefix+"/dataframes", RouteCreateDataframe, v1, write, s.createDataframe)
	s.handle(mux, "PUT "+envPrefix+"/dataframes/{name}", RouteUpdateDataframe, v1, write, s.updateDataframe)
	s.handle(mux, "DELETE "+envPrefix+"/dataframes/{name}", RouteDeleteDataframe, v1, del, s.dataframeRoute(s.deleteDataframe))
	s.handle(mux, "POST "+envPrefix+"/dataframes/{name}/clear", RouteClearDataframe, v1, write, s.dataframeRoute(s.clearDataframe))
	s.handle(mux, "GET "+envPrefix+"/dataframes/{name}/download", RouteDownloadDataframe, v1, list, s.dataframeRoute(s.downloadDataframe))
}

// dataframeJSON is a dataframe as the API sends it; s.mu held.
func (s *Server) dataframeJSON(df *dataframe) map[string]any {
	m := map[string]any{
		"_id": df.id, "account_id": s.AccountID, "environment_id": s.EnvironmentID, "name": df.Name,
		"path": "rivery-default-fz-" + s.AccountID + "/dataframe/" + df.Name,
	}
	if df.Settings != nil {
		obj, _ := json.Marshal(df.Settings)
		switch df.SettingsForm {
		case "string":
			m["connection_settings"] = string(obj)
		case "fragment":
			m["connection_settings"] = `"connection_settings":` + string(obj)
		default:
			m["connection_settings"] = df.Settings
		}
	}
	return m
}

func (s *Server) listDataframes(w http.ResponseWriter, r *http.Request, _ *token) {
	s.mu.Lock()
	items := make([]map[string]any, 0, len(s.pf.dfOrder))
	for _, name := range s.pf.dfOrder {
		items = append(items, s.dataframeJSON(s.pf.dataframes[name]))
	}
	s.mu.Unlock()
	writePage(w, r, items)
}

// dataframeRoute calls h with the dataframe the path names, holding s.mu,
// or answers 404.
func (s *Server) dataframeRoute(h func(w http.ResponseWriter, df *dataframe)) handler {
	return func(w http.ResponseWriter, r *http.Request, _ *token) {
		name := r.PathValue("name")
		s.mu.Lock()
		defer s.mu.Unlock()
		df, ok := s.pf.dataframes[name]
		if !ok {
			writeError(w, v1, http.StatusNotFound, "Dataframe "+name+" not found")
			return
		}
		h(w, df)
	}
}

func (s *Server) getDataframe(w http.ResponseWriter, df *dataframe) {
	writeJSON(w, http.StatusOK, s.dataframeJSON(df))
}

// readSettings reads connection_settings as sent: an object, or a string
// holding one or the "connection_settings": {...} fragment.
func readSettings(raw json.RawMessage) (map[string]any, string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, "", true
	}
	var obj map[string]any
	if json.Unmarshal(raw, &obj) == nil {
		return obj, "", true
	}
	var text string
	if json.Unmarshal(raw, &text) != nil {
		return nil, "", false
	}
	if json.Unmarshal([]byte(text), &obj) == nil {
		return obj, "string", true
	}
	var wrapped struct {
		Settings map[string]any `json:"connection_settings"`
	}
	if json.Unmarshal([]byte("{"+text+"}"), &wrapped) == nil && wrapped.Settings != nil {
		return wrapped.Settings, "fragment", true
	}
	return nil, "", false
}

type dataframeBody struct {
	Name     string          `json:"name"`
	Settings json.RawMessage `json:"connection_settings"`
}

// createDataframe adds a dataframe; a name in use (in any case) answers
// 400 with a bare JSON string, as the live API does.
func (s *Server) createDataframe(w http.ResponseWriter, r *http.Request, _ *token) {
	var body dataframeBody
	if !decodeBody(w, r, v1, &body) {
		return
	}
	settings, form, ok := readSettings(body.Settings)
	switch {
	case strings.TrimSpace(body.Name) == "":
		writeValidation(w, fieldError{"missing", []string{"body", "name"}, "Field required", nil})
		return
	case !ok:
		writeValidation(w, fieldError{"model_type", []string{"body", "connection_settings"}, "Input should be a valid dictionary", json.RawMessage(body.Settings)})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for name := range s.pf.dataframes {
		if strings.EqualFold(name, body.Name) {
			writeJSON(w, http.StatusBadRequest, "Dataframe "+body.Name+" already exist")
			return
		}
	}
	df := s.addDataframe(Dataframe{Name: body.Name, Settings: settings, SettingsForm: form})
	writeJSON(w, http.StatusOK, s.dataframeJSON(df))
}

// updateDataframe replaces a dataframe's settings, keeping the form they
// came in.
func (s *Server) updateDataframe(w http.ResponseWriter, r *http.Request, _ *token) {
	var body dataframeBody
	if !decodeBody(w, r, v1, &body) {
		return
	}
	settings, form, ok := readSettings(body.Settings)
	if !ok || settings == nil {
		writeValidation(w, fieldError{"missing", []string{"body", "connection_settings"}, "Field required", json.RawMessage(body.Settings)})
		return
	}
	s.dataframeRoute(func(w http.ResponseWriter, df *dataframe) {
		df.Settings, df.SettingsForm = settings, form
		writeJSON(w, http.StatusOK, s.dataframeJSON(df))
	})(w, r, nil)
}

func (s *Server) deleteDataframe(w http.ResponseWriter, df *dataframe) {
	delete(s.pf.dataframes, df.Name)
	for i, n := range s.pf.dfOrder {
		if n == df.Name {
			s.pf.dfOrder = append(s.pf.dfOrder[:i:i], s.pf.dfOrder[i+1:]...)
			break
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// clearDataframe starts an operation that empties the dataframe.
func (s *Server) clearDataframe(w http.ResponseWriter, df *dataframe) {
	s.startOp(w, "dataframe", "true", "", func() { df.Files = nil })
}

// downloadDataframe starts an operation whose result lists a presigned
// URL of each of the dataframe's files.
func (s *Server) downloadDataframe(w http.ResponseWriter, df *dataframe) {
	urls := make([]string, len(df.Files))
	for i := range df.Files {
		urls[i] = s.presign("dataframes/"+df.Name+"/part-"+strconv.Itoa(i)+".parquet", 15*time.Minute)
	}
	s.startOp(w, "dataframe", urls, "", nil)
}

// dataframeFile returns the file a storage path names, if any; s.mu held.
func (s *Server) dataframeFile(path string) (File, bool) {
	rest, ok := strings.CutPrefix(path, "dataframes/")
	if !ok {
		return File{}, false
	}
	name, part, ok := strings.Cut(rest, "/part-")
	df, found := s.pf.dataframes[name]
	i, err := strconv.Atoi(strings.TrimSuffix(part, ".parquet"))
	if !ok || !found || err != nil || i < 0 || i >= len(df.Files) {
		return File{}, false
	}
	return df.Files[i], true
}
