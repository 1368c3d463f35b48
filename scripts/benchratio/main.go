// Command benchratio reads `go test -bench 'Floor'` output on stdin and
// prints, per call and API family, the median ratios over the rounds
// (-count) and whether each guard rail holds: allocations at most 1.15x the
// floor and 1.0x the floor with a 60 s client timeout, throughput at least
// 0.90x the floor from 1 and from 16 goroutines (issue #24: what limits a
// program is Rivery's budget of requests, not a microsecond of CPU).
// scripts/bench.sh runs it.
package main

import (
	"bufio"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var procSuffix = regexp.MustCompile(`-\d+$`)

func main() {
	vals := map[string]map[string][]float64{} // name, unit: one value a round
	var allocKeys, pairKeys []string
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(f[0], "")
		if vals[name] == nil {
			vals[name] = map[string][]float64{}
			if k, ok := strings.CutPrefix(name, "BenchmarkFloorAllocs/"); ok && strings.HasSuffix(k, "/impl=sdk") {
				allocKeys = append(allocKeys, strings.TrimSuffix(k, "/impl=sdk"))
			}
			if k, ok := strings.CutPrefix(name, "BenchmarkFloorPaired/"); ok {
				pairKeys = append(pairKeys, k)
			}
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				vals[name][f[i+1]] = append(vals[name][f[i+1]], v)
			}
		}
	}
	failed := 0
	verdict := func(ok bool) string {
		if ok {
			return "holds"
		}
		failed++
		return "FAILS"
	}

	fmt.Println("=== Allocations per call, median over the rounds (goals: sdk/floor <= 1.15, sdk/floor60s <= 1.00)")
	fmt.Printf("%-34s %8s %8s %9s  %-17s %-17s\n", "call/family", "sdk", "floor", "floor60s", "sdk/floor", "sdk/floor60s")
	for _, k := range allocKeys {
		get := func(impl string) []float64 { return vals["BenchmarkFloorAllocs/"+k+"/impl="+impl]["allocs/op"] }
		sdk, fl, fl60 := get("sdk"), get("floor"), get("floor60s")
		r, r60 := median(ratios(sdk, fl)), median(ratios(sdk, fl60))
		fmt.Printf("%-34s %8.0f %8.0f %9.0f  %5.3fx %-10s %5.3fx %s\n", k, median(sdk), median(fl), median(fl60),
			r, verdict(r <= 1.15), r60, verdict(r60 <= 1.00))
	}

	fmt.Println()
	fmt.Println("=== Throughput ratio (floor time / SDK time), paired, over the rounds (goal: median >= 0.90)")
	fmt.Printf("%-38s %7s %15s %15s %6s  %s\n", "call/family/goroutines", "median", "IQR", "min-max", "rounds", "goal")
	for _, k := range pairKeys {
		v := slices.Sorted(slices.Values(vals["BenchmarkFloorPaired/"+k]["throughput-ratio"]))
		if len(v) == 0 {
			continue
		}
		m := median(v)
		fmt.Printf("%-38s %7.3f %7.3f-%-7.3f %7.3f-%-7.3f %6d  %s\n", k, m, quantile(v, 0.25), quantile(v, 0.75),
			v[0], v[len(v)-1], len(v), verdict(m >= 0.90))
	}
	fmt.Println()
	if failed > 0 {
		fmt.Printf("%d goal checks fail\n", failed)
		os.Exit(1)
	} else {
		fmt.Println("every goal holds")
	}
}

// ratios divides a by b round by round.
func ratios(a, b []float64) []float64 {
	var out []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			out = append(out, a[i]/b[i])
		}
	}
	return out
}

func median(v []float64) float64 { return quantile(slices.Sorted(slices.Values(v)), 0.5) }

// quantile interpolates the q-quantile of sorted v (NaN when empty).
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return float64(0) / float64(len(v)) // NaN
	}
	pos := q * float64(len(v)-1)
	i := int(pos)
	if i+1 >= len(v) {
		return v[i]
	}
	return v[i] + (pos-float64(i))*(v[i+1]-v[i])
}
