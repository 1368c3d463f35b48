package riverytest

import (
	"net/http"
	"slices"
)

// Routes of pull requests (connection tests and metadata pulls).
const (
	RoutePullRequest Route = "pull_request" // POST E/pull_requests
	RouteCancelPull  Route = "cancel_pull"  // POST E/pull_requests/{id}/cancel_run
)

// pullBody is POST E/pull_requests' body.
type pullBody struct {
	Inputs *struct {
		ConnectionID string   `json:"connection_id"`
		Schemas      []string `json:"schemas"`
		TableName    string   `json:"table_name"`
	} `json:"pull_request_inputs"`
	Task         string `json:"task"`
	TaskType     string `json:"task_type"`
	DatasourceID string `json:"datasource_id"`
}

// startPull starts a pull request on a connection: an operation (W, then R,
// then D with the task's result, or E with the connection's PullError)
// polled through E/operations/{id}.
func (s *Server) startPull(w http.ResponseWriter, r *http.Request, _ *token) {
	var body pullBody
	if !decodeBody(w, r, v1, &body) {
		return
	}
	var missing []fieldError
	need := func(loc []string, v string) {
		if v == "" {
			missing = append(missing, fieldError{"missing", loc, "Field required", nil})
		}
	}
	need([]string{"body", "task"}, body.Task)
	need([]string{"body", "task_type"}, body.TaskType)
	need([]string{"body", "datasource_id"}, body.DatasourceID)
	if body.Inputs == nil {
		need([]string{"body", "pull_request_inputs"}, "")
	} else {
		need([]string{"body", "pull_request_inputs", "connection_id"}, body.Inputs.ConnectionID)
	}
	if len(missing) > 0 {
		writeValidation(w, missing...)
		return
	}
	if body.TaskType != "source" && body.TaskType != "target" {
		writeError(w, v1, http.StatusBadRequest, "task_type must be source or target")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.mg.conns[body.Inputs.ConnectionID]
	if !ok {
		writeError(w, v1, http.StatusNotFound, "Connection "+body.Inputs.ConnectionID+" not found")
		return
	}
	op := s.newOperation(body.Task, pullResult(c, &body), c.PullError, nil)
	op.pull = true
	writeJSON(w, http.StatusOK, op.json("W", nil))
}

// pullResult is what a pull of body's task on c finds: for get_db_metadata
// its tables keyed by schema and name, each with its columns; for
// get_schemas the schemas' names; for get_databases the database's.
func pullResult(c *connection, body *pullBody) any {
	tables := c.tables()
	switch body.Task {
	case "get_db_metadata":
		out := map[string]any{}
		for _, t := range tables {
			if len(body.Inputs.Schemas) > 0 && !slices.Contains(body.Inputs.Schemas, t.Schema) ||
				body.Inputs.TableName != "" && body.Inputs.TableName != t.Name {
				continue
			}
			cols := make([]map[string]any, len(t.Columns))
			for i, col := range t.Columns {
				cols[i] = map[string]any{"name": col.Name, "original_column_name": col.Name, "type": col.Type, "original_column_type": col.Type,
					"is_key": col.Key, "can_increment": col.Increment, "supported": false, "length": 2147483647}
			}
			schema, _ := out[t.Schema].(map[string]any)
			if schema == nil {
				schema = map[string]any{}
				out[t.Schema] = schema
			}
			schema[t.Name] = map[string]any{"columns": cols}
		}
		return out
	case "get_schemas":
		var names []string
		for _, t := range tables {
			if !slices.Contains(names, t.Schema) {
				names = append(names, t.Schema)
			}
		}
		return names
	case "get_databases":
		return []string{"fake_db"}
	}
	return []any{}
}

// cancelPull cancels a pull request still in progress: its next poll sees
// E. The answer is 202 with the operation; a pull that has ended answers
// 400, as canceling an ended run does.
func (s *Server) cancelPull(w http.ResponseWriter, r *http.Request, _ *token) {
	id := r.PathValue("pull")
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[id]
	if !ok || !op.pull {
		writeError(w, v1, http.StatusNotFound, "Pull request "+id+" not found")
		return
	}
	if status, _ := op.settle(); status != "R" {
		writeError(w, v1, http.StatusBadRequest, "no pull request found to cancel")
		return
	}
	op.canceled = true
	writeJSON(w, http.StatusAccepted, op.json("R", nil))
}
