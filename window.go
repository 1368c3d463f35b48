package rivery

import (
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Window is the span of time an activity or run-history call asks about.
// Both ends are required. The SDK sends them in UTC as
// yyyy-mm-ddThh:mm:ss, the format Boomi's own tooling uses, with Start
// rounded down and End rounded up to the second, so the window sent still
// holds what was asked.
type Window struct {
	Start, End time.Time
}

// LastWindow returns the window from d ago until now.
func LastWindow(d time.Duration) Window {
	now := time.Now()
	return Window{Start: now.Add(-d), End: now}
}

// WindowSplit is the span AllRunGroups and AllSubRiverRuns ask the server
// about at once: a longer window is walked as consecutive windows of this
// size, newest first. Rivery bounds a window's size without publishing the
// bound; seven days is what its own tooling asks for in one call.
const WindowSplit = 7 * 24 * time.Hour

// windowLayout is how the API's start_time and end_time are sent.
const windowLayout = "2006-01-02T15:04:05"

// ErrWindowTooLarge is matched (with errors.Is) by the error of a call
// whose window the server refused as too large; the *APIError is wrapped
// too. Split the window (Window.Split) or use an All iterator that does.
var ErrWindowTooLarge = errors.New("rivery: time window too large for the server")

// validate checks that both ends are set and in order.
func (w Window) validate() error {
	switch {
	case w.Start.IsZero() || w.End.IsZero():
		return fmt.Errorf("%w: a Window needs both Start and End", ErrInvalidArgument)
	case w.End.Before(w.Start):
		return fmt.Errorf("%w: Window End %s is before Start %s", ErrInvalidArgument,
			w.End.UTC().Format(time.RFC3339), w.Start.UTC().Format(time.RFC3339))
	}
	return nil
}

// String prints the window as it is sent.
func (w Window) String() string {
	start, end := w.wire()
	return start + "/" + end
}

// wire returns start_time and end_time as sent.
func (w Window) wire() (start, end string) {
	w = w.whole()
	return w.Start.UTC().Format(windowLayout), w.End.UTC().Format(windowLayout)
}

// whole widens w to whole seconds.
func (w Window) whole() Window {
	e := w.End.Truncate(time.Second)
	if e.Before(w.End) {
		e = e.Add(time.Second)
	}
	return Window{w.Start.Truncate(time.Second), e}
}

// setQuery adds start_time and end_time to v.
func (w Window) setQuery(v url.Values) {
	start, end := w.wire()
	v.Set("start_time", start)
	v.Set("end_time", end)
}

// Split walks w as consecutive windows of at most size, newest first, in
// whole seconds as windows are sent (Start rounded down, End up), so no
// window grows past size on the wire. Neighbors share their boundary
// instant, so nothing at a boundary falls between them; the All iterators
// drop what both return. A size under a second yields w whole.
func (w Window) Split(size time.Duration) iter.Seq[Window] {
	return func(yield func(Window) bool) {
		size = size.Truncate(time.Second)
		if size <= 0 {
			yield(w)
			return
		}
		w = w.whole()
		if w.End.Sub(w.Start) <= size {
			yield(w)
			return
		}
		for end := w.End; ; {
			start := end.Add(-size)
			if !start.After(w.Start) {
				yield(Window{w.Start, end})
				return
			}
			if !yield(Window{start, end}) {
				return
			}
			end = start
		}
	}
}

// windowError marks a 400 or 422 that names the window as too large with
// ErrWindowTooLarge and says which window was refused. Rivery publishes
// neither the limit nor its message, so it looks for the words a refusal
// uses; any other error is returned as it is.
func windowError(err error, w Window) error {
	var apiErr *APIError
	if !errors.As(err, &apiErr) || (apiErr.StatusCode != http.StatusBadRequest && apiErr.StatusCode != http.StatusUnprocessableEntity) {
		return err
	}
	text := strings.ToLower(apiErr.Message)
	for _, d := range apiErr.Details {
		text += " " + strings.ToLower(d.Message)
	}
	if !strings.Contains(text, "time") && !strings.Contains(text, "window") && !strings.Contains(text, "range") && !strings.Contains(text, "days") {
		return err
	}
	for _, word := range []string{"too large", "too long", "too big", "exceed", "maximum", "at most", "larger than", "longer than", "more than"} {
		if strings.Contains(text, word) {
			return fmt.Errorf("%w: the server refused the window %s (%s); split it with Window.Split: %w",
				ErrWindowTooLarge, w, w.End.Sub(w.Start).Round(time.Second), err)
		}
	}
	return err
}
