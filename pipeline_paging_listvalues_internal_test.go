package rivery

import (
	"encoding/json"
	"testing"

	"github.com/rivery-go/rivery/internal/wire"
)

// A list decoded into values drops what a null (or an empty object)
// decodes to, and hands out pointers into the one backing array.
func TestListValuesDropNullItems(t *testing.T) {
	t.Parallel()
	var env wire.Envelope[Token]
	body := `{"items": [null, {"token_id": "a"}, {}, {"token_id": "b", "scopes": null}], "page": 1}`
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatal(err)
	}
	got := pointers(dropZero(env.Items))
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
		t.Fatalf("items = %+v, want a and b", got)
	}
	if &env.Items[0] != got[0] {
		t.Error("pointers do not point into the decoded items")
	}
}
