package rivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/rivery-go/rivery"
)

// S3 answers a rejected signature with an XML body that repeats it
// (SignatureProvided). Before the fix, ReadStepLog put that body in the
// *APIError's Message, so err.Error() printed the signature; now every
// value of the URL's query is scrubbed from the message and the body.
func TestPresignedErrorsDoNotRepeatTheSignature(t *testing.T) {
	t.Parallel()
	const sig = "7c1e5b0f3a9d2e8c6b4a1f0e9d8c7b6a5f4e3d2c1b0a9f8e"
	const cred = "ASIAEXAMPLE000000000/20250101/us-east-1/s3/aws4_request"
	echo := "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message>" +
		"<AWSAccessKeyId>ASIAEXAMPLE000000000</AWSAccessKeyId><SignatureProvided>" + sig + "</SignatureProvided>" +
		"<CanonicalRequest>GET /acme/step.log X-Amz-Credential=" + strings.ReplaceAll(cred, "/", "%2F") + "</CanonicalRequest></Error>"
	u := presigned + "?X-Amz-Credential=" + strings.ReplaceAll(cred, "/", "%2F") + "&X-Amz-Expires=60&X-Amz-Signature=" + sig
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, presigned, (&recorder{}).reply(403, echo))
	mock.RegisterResponder(http.MethodGet, "https://rivery-dataframes.s3.amazonaws.com/part-0.parquet", (&recorder{}).reply(403, echo))
	_, _, err1 := c.Rivers.ReadStepLog(context.Background(), &rivery.StepLog{URL: u})
	_, _, err2 := c.Dataframes.CopyFile(context.Background(), rivery.PresignedURL(strings.Replace(u, presigned, "https://rivery-dataframes.s3.amazonaws.com/part-0.parquet", 1)), io.Discard)
	for _, err := range []error{err1, err2} {
		apiErr := asAPIError(t, err)
		for what, text := range map[string]string{"Error()": err.Error(), "Message": apiErr.Message, "Body": string(apiErr.Body), "%#v": fmt.Sprintf("%#v", apiErr)} {
			if strings.Contains(text, sig) || strings.Contains(text, "ASIAEXAMPLE000000000/2025") {
				t.Errorf("%s repeats the signature or credential: %s", what, text)
			}
		}
		if !errors.Is(err, rivery.ErrForbidden) || !strings.Contains(apiErr.Message, "SignatureDoesNotMatch") {
			t.Errorf("err = %v", err)
		}
	}
}

// Presigned URLs are https (or http to a loopback host), absolute, and
// without user information; anything else is refused before a request.
func TestPresignedURLsAreChecked(t *testing.T) {
	t.Parallel()
	c, _ := setup(t, v1()...)
	for _, u := range []string{"", "/relative", "http://files.example.com/x", "ftp://files.example.com/x", "https://u:p@files.example.com/x", "https://%zz"} {
		if _, _, err := c.Dataframes.CopyFile(context.Background(), rivery.PresignedURL(u), io.Discard); !errors.Is(err, rivery.ErrInvalidArgument) {
			t.Errorf("%q: err = %v, want ErrInvalidArgument", u, err)
		}
	}
}

// printings returns every way v may be printed or encoded: each fmt verb
// (with flags), slog's text and JSON handlers, encoding/json.
func printings(v any) map[string]string {
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%T %[1]v"} {
		out[verb] = fmt.Sprintf(verb, v)
	}
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", v)
	out["slog text"], out["slog json"] = text.String(), js.String()
	b, err := json.Marshal(v)
	out["json"] = string(b) + fmt.Sprint(err)
	out["Sprint"] = fmt.Sprint(v)
	out["Println in a slice"] = fmt.Sprintln([]any{v})
	return out
}

// No new type that holds a secret (a presigned URL, dataframe settings)
// prints it, by any fmt verb, slog or encoding/json: one case per type.
func TestNewTypesPrintNoSecret(t *testing.T) {
	t.Parallel()
	const sig, conn, bucket = "X-Amz-Signature=5d1f0e2a9b8c7d6e5f4a", "66c0ffee00000000000c0042", "acme-landing-zone"
	u := rivery.PresignedURL("https://rivery-logicode.s3.amazonaws.com/acme/step.py?" + sig)
	settings := &rivery.DataframeSettings{ConnectionID: conn, DatasourceID: "s3", StorageType: "aws", DefaultBucket: bucket,
		Extra: map[string]json.RawMessage{"secret_key": json.RawMessage(`"` + bucket + `-key"`)}}
	df := rivery.Dataframe{Name: "daily_orders", ID: "66d0000000000000000d0002", Settings: settings,
		Raw: json.RawMessage(`{"name": "daily_orders", "connection_settings": {"connection": "` + conn + `", "default_bucket": "` + bucket + `"}}`)}
	for name, v := range map[string]any{
		"PresignedURL":            u,
		"*PresignedURL":           &u,
		"LogicodeFile":            rivery.LogicodeFile{ID: "f", Name: "step.py", URL: u},
		"*LogicodeFile":           &rivery.LogicodeFile{ID: "f", Name: "step.py", URL: u},
		"[]PresignedURL":          []rivery.PresignedURL{u, u},
		"DataframeSettings":       *settings,
		"*DataframeSettings":      settings,
		"Dataframe":               df,
		"*Dataframe":              &df,
		"[]*Dataframe":            []*rivery.Dataframe{&df},
		"CreateDataframeRequest":  rivery.CreateDataframeRequest{Name: "x", Settings: settings},
		"*CreateDataframeRequest": &rivery.CreateDataframeRequest{Name: "x", Settings: settings},
	} {
		for how, text := range printings(v) {
			for _, secret := range []string{sig, conn, bucket, "5d1f0e2a9b8c"} {
				if strings.Contains(text, secret) {
					t.Errorf("%s printed with %s holds %q: %s", name, how, secret, text)
				}
			}
		}
	}
	if got := printings(df)["%v"]; !strings.Contains(got, "daily_orders") || !strings.Contains(got, "[redacted]") {
		t.Errorf("a Dataframe prints as %q", got)
	}
	if string(u) == "[redacted]" || settings.ConnectionID != conn {
		t.Error("the values themselves are lost")
	}
}

// brokenBody fails every read, as a body cut off by the connection does.
type brokenBody struct{}

func (brokenBody) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
func (brokenBody) Close() error             { return nil }

// When retries run out on a retryable status, the *APIError holds that
// last answer's body, even after an earlier attempt's 2xx body broke off.
func TestPresignedLastStatusKeepsItsBody(t *testing.T) {
	t.Parallel()
	c, mock := setup(t, v1()...)
	mock.RegisterResponder(http.MethodGet, presigned, sequence(
		func(*http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: brokenBody{}, ContentLength: -1}, nil
		},
		httpmock.NewStringResponder(503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"),
	))
	_, _, err := c.Rivers.ReadStepLog(context.Background(), &rivery.StepLog{URL: presigned})
	apiErr := asAPIError(t, err)
	if apiErr.StatusCode != 503 || !strings.Contains(string(apiErr.Body), "SlowDown") || !strings.Contains(apiErr.Message, "SlowDown") {
		t.Errorf("err = %v, body %q; want the last 503 with its body", err, apiErr.Body)
	}
	if n := mock.GetTotalCallCount(); n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
}

// An error answer whose body stalls past what is read of it does not hold
// the call: the drain is bounded in time, also on an http.Client of the
// caller's without a timeout.
func TestPresignedStalledErrorBodyDoesNotHang(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write(bytes.Repeat([]byte("x"), 70<<10)) // more than an error body holds: the rest is drained
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := rivery.NewClient(testToken, append(v1(), rivery.WithHTTPClient(&http.Client{}), rivery.WithoutRetries())...)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	done := make(chan error, 1)
	go func() {
		_, _, err := c.Rivers.ReadStepLog(context.Background(), &rivery.StepLog{URL: srv.URL + "/log?X-Amz-Signature=abc"})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, rivery.ErrForbidden) {
			t.Errorf("err = %v, want the 403", err)
		}
	case <-time.After(30 * time.Second): // the drain's bound is 50 ms: a generous margin
		t.Fatal("ReadStepLog still reading a stalled error body after 30 s")
	}
}
