package rivery

import (
	"reflect"
	"testing"
)

// Every service of a client made by InEnvironment points at that client,
// not at its parent: a service added to Client but not to bindServices
// fails here.
func TestInEnvironmentBindsEveryService(t *testing.T) {
	t.Parallel()
	parent, err := NewClient("tok", WithAccountID("5f1a2b3c4d5e6f7081920a1b"), WithEnvironmentID("6a7b8c9d0e1f2a3b4c5d6e7f"))
	if err != nil {
		t.Fatal(err)
	}
	child, err := parent.InEnvironment("6a7b8c9d0e1f2a3b4c5d6e80")
	if err != nil {
		t.Fatal(err)
	}
	if child.fixed.environment != "6a7b8c9d0e1f2a3b4c5d6e80" || parent.fixed.environment != "6a7b8c9d0e1f2a3b4c5d6e7f" {
		t.Fatalf("scopes: child %+v, parent %+v", *child.fixed, *parent.fixed)
	}
	if child.hc != parent.hc || child.rc != parent.rc {
		t.Error("the child does not share the parent's transport")
	}
	services := 0
	v := reflect.ValueOf(child).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() || f.Kind() != reflect.Pointer || f.Type().Elem().ConvertibleTo(reflect.TypeOf(service{})) == false {
			continue
		}
		services++
		if got := f.Elem().Field(0).Pointer(); got != reflect.ValueOf(child).Pointer() {
			t.Errorf("service %s points at another client", v.Type().Field(i).Name)
		}
	}
	if services < 3 {
		t.Errorf("found %d services", services)
	}
}
