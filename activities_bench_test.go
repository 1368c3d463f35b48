package rivery

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"
)

// activitiesPage is one page of 500 live-shaped activity rows.
func activitiesPage() []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for i := range 500 {
		if i > 0 {
			buf.WriteByte(',')
		}
		fmt.Fprintf(&buf, `{"account":"5f1a2b3c4d5e6f7081920a1b","env_id":"6a7b8c9d0e1f2a3b4c5d6e7f","cross_id":"%024x","river_id":"%024x","river_name":"river %d","group_id":"g%d","is_scheduled":true,"is_sub_river":false,"is_master_river":false,"total_files":%d,"units":%d.25,"rpu":%d.25,"total_size":%d,"last_run":"2026-11-27T10:00:04.123456+00:00","succeeded":%d,"failed":%d,"running":0,"pending":1,"canceled":0}`,
			i, i, i, i%7, i, i%9, i%9, i*1000, i%50, i%3)
	}
	buf.WriteString(`],"page":1,"current_page_size":500,"total_items":500,"next_page":null,"previous_page":null}`)
	return buf.Bytes()
}

// BenchmarkActivitiesList500 decodes one page of 500 activity rows, in
// memory.
func BenchmarkActivitiesList500(b *testing.B) {
	page := activitiesPage()
	c := benchV1Client(b, canned{http.StatusOK, fixed(page)})
	opts := &ActivitiesOptions{ListOptions: ListOptions{PerPage: 500}, Window: LastWindow(24 * time.Hour)}
	ctx := context.Background()
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		rows, _, err := c.Activities.List(ctx, opts)
		if err != nil || len(rows) != 500 {
			b.Fatal(len(rows), err)
		}
	}
}

// BenchmarkActivitiesDecodeRaw decodes the same page with encoding/json
// into plain fields: the floor the SDK's lenient decoding is measured
// against.
func BenchmarkActivitiesDecodeRaw(b *testing.B) {
	page := activitiesPage()
	type row struct {
		CrossID     string  `json:"cross_id"`
		RiverName   string  `json:"river_name"`
		GroupID     string  `json:"group_id"`
		IsScheduled bool    `json:"is_scheduled"`
		Units       float64 `json:"units"`
		TotalSize   int64   `json:"total_size"`
		TotalFiles  int64   `json:"total_files"`
		LastRun     string  `json:"last_run"`
		Succeeded   int64   `json:"succeeded"`
		Failed      int64   `json:"failed"`
		Running     int64   `json:"running"`
		Pending     int64   `json:"pending"`
		Canceled    int64   `json:"canceled"`
	}
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		var env struct {
			Items    []*row `json:"items"`
			NextPage string `json:"next_page"`
		}
		if err := json.Unmarshal(page, &env); err != nil || len(env.Items) != 500 {
			b.Fatal(err)
		}
	}
}
