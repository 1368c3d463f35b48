package riverytest

import "net/http"

// platformState is the state of the routes of CDC, dataframes, Logicode files,
// teams and users.
type platformState struct {
	cdc        map[string]*CDC // by river ID
	dataframes map[string]*dataframe
	dfOrder    []string // dataframe names in the order they were added
	files      map[string]*logicodeFile
	fileOrder  []string
	teams      []*Team
	users      []*User
}

// platformRoutes registers the routes of CDC, dataframes, Logicode files,
// teams and users, and the storage their presigned URLs point to.
func (s *Server) platformRoutes(mux *http.ServeMux) {
	s.cdcRoutes(mux)
	s.dataframeRoutes(mux)
	s.logicodeRoutes(mux)
	s.accountRoutes(mux)
	s.storage(mux, http.MethodGet, s.storageGet)
	s.storage(mux, http.MethodPut, s.storagePut)
}
