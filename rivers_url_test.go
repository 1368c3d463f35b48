package rivery_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rivery-go/rivery"
)

func TestParseRiverURL(t *testing.T) {
	t.Parallel()
	const a, e, r = accountID, envID, riverID
	good := []string{
		"https://console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r,
		"https://console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r + "/",
		"https://console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r + "/source?tab=schema#top",
		"https://console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r + "/activities/logs",
		"https://eu-west-1.console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r,
		"https://il-central-1.console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r + "?x=1",
		"https://ap-southeast-2.console.rivery.io/dashboard/" + a + "/" + e + "/rivers/" + r,
		"https://console.rivery.io/#/dashboard/" + a + "/" + e + "/river/" + r + "/target",
		"  https://CONSOLE.rivery.io/dashboard/" + a + "/" + e + "/river/" + r + "  ",
	}
	for _, in := range good {
		ga, ge, gr, err := rivery.ParseRiverURL(in)
		if err != nil || ga != a || ge != e || gr != r {
			t.Errorf("ParseRiverURL(%q) = %q, %q, %q, %v", in, ga, ge, gr, err)
		}
	}
	if ga, ge, gr, err := rivery.ParseRiverURL(r); err != nil || ga != "" || ge != "" || gr != r {
		t.Errorf("bare ID: %q %q %q %v", ga, ge, gr, err)
	}
	bad := []string{
		"", "..", "https://evil.example.com/dashboard/" + a + "/" + e + "/river/" + r,
		"https://console.rivery.io.evil.com/dashboard/" + a + "/" + e + "/river/" + r,
		"https://console.rivery.io/dashboard/" + a + "/" + e,
		"https://console.rivery.io/dashboard/" + a + "/" + e + "/river/",
		"https://console.rivery.io/dashboard/" + a + "/%2e%2e/river/" + r,
		"ftp://console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r,
		"console.rivery.io/dashboard/" + a + "/" + e + "/river/" + r,
		"not an id",
	}
	for _, in := range bad {
		if _, _, _, err := rivery.ParseRiverURL(in); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("ParseRiverURL(%q) error = %v, want ErrInvalidArgument", in, err)
		}
	}
}

func ExampleParseRiverURL() {
	_, _, river, err := rivery.ParseRiverURL("https://console.rivery.io/dashboard/5f1a2b3c4d5e6f7081920a1b/6a7b8c9d0e1f2a3b4c5d6e7f/river/63b724fc690def001131d242/source")
	fmt.Println(river, err)
	// Output: 63b724fc690def001131d242 <nil>
}
