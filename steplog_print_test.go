package rivery_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/rivery-go/rivery"
)

// A step log's presigned URL carries its credential in the query: no fmt
// verb and no slog record prints it, while StepLog.URL keeps it whole.
func TestStepLogPrintsNoSignature(t *testing.T) {
	t.Parallel()
	const sig = "X-Amz-Signature=5d1f0e2a9b8c7d6e5f4a3b2c1d0e9f8a"
	l := rivery.StepLog{URL: "https://logs.example.com/acme/step.log?X-Amz-Expires=60&" + sig}
	var printed []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		printed = append(printed, fmt.Sprintf(verb, l), fmt.Sprintf(verb, &l))
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("log", "step", l)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("log", "step", l)
	printed = append(printed, buf.String())
	for _, p := range printed {
		if strings.Contains(p, "Signature") || strings.Contains(p, "5d1f0e2a") {
			t.Errorf("printed the signature: %s", p)
		}
	}
	if got := l.String(); got != "StepLog{URL:https://logs.example.com/acme/step.log}" {
		t.Errorf("%%v = %q", got)
	}
	if !strings.Contains(l.URL, sig) {
		t.Error("StepLog.URL lost its query")
	}
}
