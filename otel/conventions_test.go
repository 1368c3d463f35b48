package riveryotel_test

import (
	"testing"

	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/rivery-go/rivery"
)

// The core names its attributes without importing OpenTelemetry; they
// must be the semantic conventions' names.
func TestKeysAreSemanticConventions(t *testing.T) {
	t.Parallel()
	for core, want := range map[string]attribute.Key{
		rivery.KeyHTTPRequestMethod:      semconv.HTTPRequestMethodKey,
		rivery.KeyURLTemplate:            semconv.URLTemplateKey,
		rivery.KeyServerAddress:          semconv.ServerAddressKey,
		rivery.KeyServerPort:             semconv.ServerPortKey,
		rivery.KeyHTTPResponseStatusCode: semconv.HTTPResponseStatusCodeKey,
		rivery.KeyErrorType:              semconv.ErrorTypeKey,
		rivery.KeyHTTPRequestResendCount: semconv.HTTPRequestResendCountKey,
	} {
		if core != string(want) {
			t.Errorf("core key %q, semantic conventions say %q", core, want)
		}
	}
	if rivery.ErrorTypeOther != semconv.ErrorTypeOther.Value.AsString() {
		t.Errorf("ErrorTypeOther %q", rivery.ErrorTypeOther)
	}
}
