package rivery

// The scopes of the calls that administer an environment (the console's
// API tokens carry them).
const (
	// ScopeEnvironmentEdit creates and changes environments.
	ScopeEnvironmentEdit Scope = "environment:edit"
	// ScopeEnvironmentDelete deletes environments.
	ScopeEnvironmentDelete Scope = "environment:delete"
	// ScopeGroupList lists river groups (GET E/river_groups).
	ScopeGroupList Scope = "group:list"
)
