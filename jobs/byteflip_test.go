package jobs

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/engine/input/inputtest"
)

// flipFixture writes the valid file the byte-flip variants start from to path and returns its
// bytes: 40 rows of 8 customers in three row groups, nullable columns, dictionary-encoded ids.
func flipFixture(t testing.TB, path string) []byte {
	n := 40
	ids, orders, tss, amounts := make([]any, n), make([]any, n), make([]any, n), make([]any, n)
	for i := range n {
		ids[i] = fmt.Sprintf("c%d", i%8)
		orders[i] = fmt.Sprintf("o%d", i/2)
		tss[i] = us("2024-01-01 00:00") + int64(i)*86_400_000_000*3
		amounts[i] = float64(i*7%23) + 0.25
	}
	amounts[5] = -4.0
	inputtest.Write(t, path, 15, idCol(ids...), orderCol(orders...), tsCol(tss...), amountCol(amounts...))
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// flipOutcome is what one engine made of one variant: an error or the decoded customers
// output. Crashed says the engine killed its process (DuckDB's C++ code can crash on corrupt
// pages, which no Go code can recover).
type flipOutcome struct {
	Err     string                 `json:"err,omitempty"`
	Class   string                 `json:"class,omitempty"`
	Rows    map[string]customerOut `json:"rows,omitempty"`
	Crashed bool                   `json:"crashed,omitempty"`
}

func runFlip(t *testing.T, in, eng string) flipOutcome {
	out := t.TempDir()
	c := malformedCase{MaxRejectedShare: new(float64)}
	*c.MaxRejectedShare = 1
	_, err := runBounded(t, corpusConfig(c, in, out, eng), malformedAsOf, 30*time.Second)
	if err != nil {
		return flipOutcome{Err: err.Error(), Class: errorClass(err)}
	}
	return flipOutcome{Rows: readCustomers(t, out, malformedAsOf)}
}

// flipChildEnv makes the test binary run the DuckDB side of TestMalformedByteFlips: it reads
// "dir:first" and prints one JSON outcome per variant file of dir, from index first on.
const flipChildEnv = "RFM_TEST_FLIP_CHILD"

type flipLine struct {
	I int         `json:"i"`
	O flipOutcome `json:"o"`
}

// flipChild is the child side: DuckDB outcomes, one line each, flushed as they come.
func flipChild(t *testing.T, spec string) {
	dir, first, _ := strings.Cut(spec, ":")
	var from int
	fmt.Sscan(first, &from)
	files, _ := filepath.Glob(filepath.Join(dir, "v*.parquet"))
	slices.Sort(files)
	enc := json.NewEncoder(os.Stdout)
	for i := from; i < len(files); i++ {
		enc.Encode(flipLine{I: i, O: runFlip(t, files[i], "duckdb")})
	}
}

// duckdbOutcomes runs the DuckDB engine over every variant file of dir in child processes,
// restarting after a crash; a variant whose child died without an answer is Crashed.
func duckdbOutcomes(t *testing.T, dir string, n int) []flipOutcome {
	res := make([]flipOutcome, n)
	for next := 0; next < n; {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMalformedByteFlips$", "-test.count=1")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s:%d", flipChildEnv, dir, next))
		var stdout strings.Builder
		cmd.Stdout = &stdout
		runErr := cmd.Run()
		for _, line := range strings.Split(stdout.String(), "\n") {
			var l flipLine
			if json.Unmarshal([]byte(line), &l) == nil && l.I >= next && l.I < n {
				res[l.I] = l.O
				next = l.I + 1
			}
		}
		if runErr != nil && next < n {
			res[next] = flipOutcome{Crashed: true, Err: runErr.Error()}
			next++
		} else if runErr != nil || next < n {
			t.Fatalf("flip child stopped at %d of %d: %v", next, n, runErr)
		}
	}
	return res
}

// flipVariants returns the corrupted copies of base TestMalformedByteFlips runs: 300 with 1 to
// 3 random bytes set to random values, then 40 truncations, from a fixed seed.
func flipVariants(base []byte) [][]byte {
	rng := rand.New(rand.NewPCG(9, 9))
	var out [][]byte
	for range 300 {
		b := slices.Clone(base)
		for range 1 + rng.IntN(3) {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		out = append(out, b)
	}
	for range 40 {
		out = append(out, slices.Clone(base[:rng.IntN(len(base))]))
	}
	return out
}

// TestMalformedByteFlips corrupts a valid file in 300 seeded ways (1 to 3 random bytes set to
// random values) and truncates it at 40 offsets, runs every variant through both engines (DuckDB
// in child processes, so that a crash of its C++ code is counted rather than fatal) and counts
// what happened. Never allowed: a Go panic, a hang, an error that is not ErrInput, a native
// error that does not name the file, or both engines succeeding with different results.
// Counted and reported: variants both engines reject, variants that still decode to the same
// result, variants whose values changed without an error on both engines, variants one engine
// rejects while the other accepts, and DuckDB crashes (see TestDuckDBCorruptPages).
func TestMalformedByteFlips(t *testing.T) {
	if spec := os.Getenv(flipChildEnv); spec != "" {
		flipChild(t, spec)
		return
	}
	dir := t.TempDir()
	basePath := filepath.Join(dir, "base.parquet")
	base := flipFixture(t, basePath)
	want := runFlip(t, basePath, "native")
	if want.Err != "" {
		t.Fatalf("base fixture: %v", want.Err)
	}
	var paths []string
	for i, b := range flipVariants(base) {
		p := filepath.Join(dir, fmt.Sprintf("v%03d.parquet", i))
		writeBytes(t, p, b)
		paths = append(paths, p)
	}
	ducks := duckdbOutcomes(t, dir, len(paths))
	counts := map[string]int{}
	for i, path := range paths {
		name := filepath.Base(path)
		nat, duck := runFlip(t, path, "native"), ducks[i]
		for eng, o := range map[string]flipOutcome{"native": nat, "duckdb": duck} {
			if o.Class == "unclassified" {
				t.Errorf("%s %s: unclassified error %v", name, eng, o.Err)
			}
		}
		if nat.Err != "" && !strings.Contains(nat.Err, name) {
			t.Errorf("%s native: error does not name the file: %v", name, nat.Err)
		}
		switch ok := func(o flipOutcome) bool { return o.Err == "" }; {
		case duck.Crashed:
			counts["duckdb crashed (native: "+map[bool]string{true: "accepts", false: "error"}[ok(nat)]+")"]++
			t.Logf("%s: duckdb crashed (%s); native: %v", name, duck.Err, nat.Err)
		case !ok(nat) && !ok(duck):
			counts["both engines: clear error"]++
		case ok(nat) && ok(duck) && !reflect.DeepEqual(nat.Rows, duck.Rows):
			t.Errorf("%s: both engines succeed with different customers", name)
			counts["engines disagree on values"]++
		case ok(nat) && ok(duck) && reflect.DeepEqual(nat.Rows, want.Rows):
			counts["both engines: unchanged result"]++
		case ok(nat) && ok(duck):
			counts["both engines: changed values, no error"]++
		case !ok(nat) && reflect.DeepEqual(duck.Rows, want.Rows):
			counts["native error, duckdb: unchanged result"]++
		case !ok(nat):
			counts["native error, duckdb: changed values"]++
			t.Logf("%s: native %v; duckdb accepts with changed values", name, nat.Err)
		default:
			counts["duckdb error, native accepts"]++
			t.Logf("%s: duckdb %v; native accepts", name, duck.Err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		t.Logf("%-45s %d", k, counts[k])
	}
}

// TestDuckDBCorruptPages runs the byte-flip variants (same seed as TestMalformedByteFlips)
// that native rejects by their page CRC-32 and on which DuckDB 1.1.2 itself crashed the process
// (SIGSEGV, SIGFPE: 1, 189, 232, 273) or returned changed values without an error (11, 29,
// 30), before the DuckDB engine verified pages first: each must now be a clear error.
func TestDuckDBCorruptPages(t *testing.T) {
	variants := flipVariants(flipFixture(t, filepath.Join(t.TempDir(), "base.parquet")))
	picked := []int{1, 189, 232, 273, 11, 29, 30}
	dir := t.TempDir()
	for i, v := range picked {
		writeBytes(t, filepath.Join(dir, fmt.Sprintf("v%03d.parquet", i)), variants[v])
	}
	for i, o := range duckdbOutcomes(t, dir, len(picked)) {
		switch {
		case o.Crashed:
			t.Errorf("variant %d: DuckDB crashed the process (%s), want a clear error", picked[i], o.Err)
		case o.Err == "":
			t.Errorf("variant %d: DuckDB accepted a file whose page checksum does not match, want a clear error", picked[i])
		}
	}
}
