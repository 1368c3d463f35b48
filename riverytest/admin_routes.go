package riverytest

import (
	"net/http"

	"github.com/rivery-go/rivery"
)

// adminRoutes registers the routes that administer an environment:
// environment writes, connection writes and uploads, a connection's tables,
// pull requests, one connection type, the data source sections, river
// groups and deletion, and the audit log.
func (s *Server) adminRoutes(mux *http.ServeMux) {
	envEdit := []rivery.Scope{rivery.ScopeEnvironmentEdit}
	envDelete := []rivery.Scope{rivery.ScopeEnvironmentDelete}
	connEdit := []rivery.Scope{rivery.ScopeConnectionEdit}
	connDelete := []rivery.Scope{rivery.ScopeConnectionDelete}
	conns := []rivery.Scope{rivery.ScopeConnectionList}
	pull := []rivery.Scope{rivery.ScopeConnectionTest, rivery.ScopeConnectionEdit}
	files := []rivery.Scope{rivery.ScopeFileEdit, rivery.ScopeConnectionEdit}
	groups := []rivery.Scope{rivery.ScopeGroupList, rivery.ScopeRiverList}
	audit := []rivery.Scope{rivery.ScopeAuditList}

	s.handle(mux, "POST "+accountPrefix+"/environments", RouteCreateEnvironment, v1, envEdit, s.createEnvironment)
	s.handle(mux, "PUT "+accountPrefix+"/environments/{environment}", RouteUpdateEnvironment, v1, envEdit, s.updateEnvironment)
	s.handle(mux, "DELETE "+accountPrefix+"/environments/{environment}", RouteDeleteEnvironment, v1, envDelete, s.deleteEnvironment)

	s.handle(mux, "POST "+envPrefix+"/connections", RouteCreateConnection, v1, connEdit, s.createConnection)
	s.handle(mux, "PUT "+envPrefix+"/connections/{connection}", RouteUpdateConnection, v1, connEdit, s.updateConnection)
	s.handle(mux, "DELETE "+envPrefix+"/connections/{connection}", RouteDeleteConnection, v1, connDelete, s.deleteConnection)
	s.handle(mux, "POST "+envPrefix+"/connections/{type}/files", RouteConnectionFile, v1, files, s.uploadConnectionFile)
	s.handle(mux, "GET "+envPrefix+"/connections/{connection}/tables", RouteConnectionTables, v1, conns, s.connectionTables)
	s.handle(mux, "POST "+envPrefix+"/pull_requests", RoutePullRequest, v1, pull, s.startPull)
	s.handle(mux, "POST "+envPrefix+"/pull_requests/{pull}/cancel_run", RouteCancelPull, v1, pull, s.cancelPull)
	s.handle(mux, "GET /v1/connections_types/{type}", RouteConnectionType, v1, nil, s.connectionType)
	s.handle(mux, "GET /v1/data_source_sections", RouteSourceSections, v1, nil, s.dataSourceSections)

	s.handle(mux, "GET "+envPrefix+"/river_groups", RouteRiverGroups, v1, groups, s.riverGroups)
	s.handle(mux, "DELETE "+envPrefix+"/rivers/{river}", RouteDeleteRiver, v1, []rivery.Scope{rivery.ScopeRiverDelete}, s.deleteRiver)

	s.handle(mux, "GET "+envPrefix+"/audit_events", RouteAuditEvents, v1, audit, s.listAuditEvents)
	s.handle(mux, "GET "+envPrefix+"/audit_events/{event}", RouteAuditEvent, v1, audit, s.getAuditEvent)
}
