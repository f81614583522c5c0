package trino

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rfmjob/rfm/jobs/engine"
	"github.com/rfmjob/rfm/jobs/engine/input"
)

// The tests run against a real single-node Trino started here once for the package: the server
// tarball that .ci/trino-setup caches under ~/.cache/rfm-trino (io.trino:trino-server, version
// trinoVersion, from Maven Central), a Java new enough for it, the Hive connector with a file
// metastore and the local file system, and the test transactions registered as external
// Parquet tables.
//
// When Java or the server is missing the tests say so loudly and skip — except under CI=true,
// where they fail unless RFM_SKIP_TRINO=1 is set explicitly.

// trinoVersion is the server release the tests start. Maven Central holds only a few
// trino-server tarballs (352, 356, 368, 470, 476): 435 is not among them, and 476 needs Java 24+.
const (
	trinoVersion = "476"
	minJava      = 24
	catalog      = "hive"
	schema       = "rfm"
)

// testServer is the package's Trino server; nil when unavailable.
var testServer *server

var unavailable string // why testServer is nil

type server struct {
	url      string
	root     string // configuration, metastore, tables and log; removed by stop
	dataDir  string // tables live in subdirectories
	cmd      *exec.Cmd
	log      *os.File
	startup  time.Duration
	db       *sql.DB
	tableSeq int
}

func TestMain(m *testing.M) {
	code := func() int {
		if os.Getenv("RFM_SKIP_TRINO") == "1" {
			unavailable = "RFM_SKIP_TRINO=1"
			fmt.Fprintln(os.Stderr, "trino tests: SKIPPED because RFM_SKIP_TRINO=1")
			return m.Run()
		}
		s, err := startServer()
		if err != nil {
			unavailable = err.Error()
			fmt.Fprintf(os.Stderr, "\n*** trino tests: NO TRINO SERVER: %v ***\n\n", err)
			return m.Run()
		}
		defer s.stop()
		testServer = s
		fmt.Fprintf(os.Stderr, "trino tests: Trino %s started in %s at %s\n", trinoVersion, s.startup.Round(time.Millisecond), s.url)
		code := m.Run()
		if code != 0 {
			// The log is removed with the server; a failed run keeps what the server
			// said about its nodes and errors, which is where a server-side cause shows.
			fmt.Fprintf(os.Stderr, "trino tests: server log warnings and node changes:\n%s\n", notable(s.log.Name()))
		}
		return code
	}()
	os.Exit(code)
}

// needServer returns the test server, or fails (under CI) or skips the test, saying why.
func needServer(t testing.TB) *server {
	t.Helper()
	if testServer != nil {
		return testServer
	}
	if os.Getenv("CI") == "true" && os.Getenv("RFM_SKIP_TRINO") != "1" {
		t.Fatalf("no Trino server under CI (set RFM_SKIP_TRINO=1 to skip explicitly): %s", unavailable)
	}
	t.Skipf("NO TRINO SERVER, test not run: %s", unavailable)
	return nil
}

// findJava returns a java binary of at least minJava: $RFM_TRINO_JAVA, $JAVA_HOME, PATH, then
// /usr/lib/jvm/*.
func findJava() (string, error) {
	var candidates []string
	if j := os.Getenv("RFM_TRINO_JAVA"); j != "" {
		candidates = append(candidates, j)
	}
	if h := os.Getenv("JAVA_HOME"); h != "" {
		candidates = append(candidates, filepath.Join(h, "bin", "java"))
	}
	if p, err := exec.LookPath("java"); err == nil {
		candidates = append(candidates, p)
	}
	homes, _ := filepath.Glob("/usr/lib/jvm/*/bin/java")
	candidates = append(candidates, homes...)
	var seen []string
	for _, c := range candidates {
		v := javaMajor(c)
		seen = append(seen, fmt.Sprintf("%s (%d)", c, v))
		if v >= minJava {
			return c, nil
		}
	}
	return "", fmt.Errorf("no Java %d+ for Trino %s (found: %s)", minJava, trinoVersion, strings.Join(seen, ", "))
}

var javaVersion = regexp.MustCompile(`version "(\d+)`)

func javaMajor(java string) int {
	out, err := exec.Command(java, "-version").CombinedOutput()
	if err != nil {
		return 0
	}
	m := javaVersion.FindSubmatch(out)
	if m == nil {
		return 0
	}
	v, _ := strconv.Atoi(string(m[1]))
	return v
}

// serverHome returns the unpacked server, running .ci/trino-setup to download and unpack it
// when the cache does not have it.
func serverHome() (string, error) {
	cache := os.Getenv("RFM_TRINO_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		cache = filepath.Join(home, ".cache", "rfm-trino")
	}
	dir := filepath.Join(cache, "trino-server-"+trinoVersion)
	if _, err := os.Stat(filepath.Join(dir, "lib")); err == nil {
		return dir, nil
	}
	setup, _ := filepath.Abs(filepath.Join("..", "..", "..", ".ci", "trino-setup"))
	cmd := exec.Command(setup)
	cmd.Env = append(os.Environ(), "TRINO_VERSION="+trinoVersion, "RFM_TRINO_CACHE="+cache)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s did not provide %s: %v", setup, dir, err)
	}
	return dir, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startServer writes a minimal configuration into a temporary directory, starts the
// coordinator (which also runs tasks) on a free loopback port with only the Hive plugin, and
// waits until it accepts queries.
func startServer() (*server, error) {
	java, err := findJava()
	if err != nil {
		return nil, err
	}
	home, err := serverHome()
	if err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	root, err := os.MkdirTemp("", "rfm-trino-")
	if err != nil {
		return nil, err
	}
	s := &server{url: fmt.Sprintf("http://127.0.0.1:%d", port), root: root, dataDir: filepath.Join(root, "tables")}
	files := map[string]string{
		"etc/config.properties": fmt.Sprintf("coordinator=true\nnode-scheduler.include-coordinator=true\n"+
			"http-server.http.port=%d\ndiscovery.uri=%s\n"+
			"query.max-memory=2GB\nquery.max-memory-per-node=2GB\n", port, s.url),
		"etc/catalog/hive.properties": "connector.name=hive\nhive.metastore=file\n" +
			"hive.metastore.catalog.dir=local://" + filepath.Join(root, "metastore") + "\n" +
			"fs.native-local.enabled=true\nlocal.location=/\n" +
			"hive.timestamp-precision=MICROSECONDS\nhive.parquet.time-zone=UTC\n" +
			"hive.non-managed-table-writes-enabled=true\n",
		// One user is refused every catalog, to test how access errors read.
		"etc/access-control.properties": "access-control.name=file\nsecurity.config-file=" + filepath.Join(root, "etc", "rules.json") + "\n",
		"etc/rules.json":                `{"catalogs": [{"user": "intruder", "catalog": ".*", "allow": "none"}, {"catalog": ".*", "allow": "all"}]}`,
	}
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			return nil, err
		}
	}
	for _, d := range []string{"data", "metastore", "tables", "plugin", "results"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			return nil, err
		}
	}
	// Loading only the Hive plugin halves the start-up time.
	if err := os.Symlink(filepath.Join(home, "plugin", "hive"), filepath.Join(root, "plugin", "hive")); err != nil {
		return nil, err
	}
	s.log, err = os.Create(filepath.Join(root, "server.log"))
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(java, "-Xmx4G", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-Djdk.attach.allowAttachSelf=true",
		"-Duser.timezone=UTC", "-Dnode.environment=test", "-Dnode.id=rfm-test", "-Dnode.bind-ip=127.0.0.1", "-Dnode.internal-address=127.0.0.1",
		"-Dnode.data-dir="+filepath.Join(root, "data"), "-Dconfig=etc/config.properties",
		"-Dplugin.dir="+filepath.Join(root, "plugin"), "-Dcatalog.config-dir=etc/catalog",
		"-Daccess-control.config-files=etc/access-control.properties",
		"-cp", filepath.Join(home, "lib", "*"), "io.trino.server.TrinoServer")
	s.cmd.Dir = root
	dieWithParent(s.cmd)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	start := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %v", java, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- s.cmd.Wait() }()
	deadline := time.After(180 * time.Second)
	for ready := false; !ready; {
		select {
		case err := <-exited:
			return nil, fmt.Errorf("trino exited during start-up (%v); last lines of %s:\n%s", err, s.log.Name(), tail(s.log.Name()))
		case <-deadline:
			s.stop()
			return nil, fmt.Errorf("trino not ready after 180s; last lines of %s:\n%s", s.log.Name(), tail(s.log.Name()))
		case <-time.After(500 * time.Millisecond):
			ready = s.ready()
		}
	}
	s.startup = time.Since(start)
	s.db, err = New(Options{Server: s.url, User: "test", Catalog: catalog, Table: "x"}).open()
	if err != nil {
		s.stop()
		return nil, err
	}
	if _, err := s.db.Exec("CREATE SCHEMA IF NOT EXISTS hive." + schema); err != nil {
		s.stop()
		return nil, fmt.Errorf("create schema: %v", err)
	}
	// The HTTP server answers before the node manager lists the coordinator's own worker as
	// active for the Hive catalog; until it does, scans fail with NO_NODES_AVAILABLE. An
	// INSERT of VALUES is not enough to show it (CI once saw it succeed and the next scans
	// fail): wait until a scan of a table with a file, the shape of every test query, runs.
	if _, err := s.db.Exec(fmt.Sprintf("CREATE TABLE IF NOT EXISTS hive.%s.rfm_ready (x integer)", schema)); err != nil {
		s.stop()
		return nil, fmt.Errorf("create probe table: %v", err)
	}
	insert := fmt.Sprintf("INSERT INTO hive.%s.rfm_ready VALUES (1)", schema)
	scan := fmt.Sprintf("SELECT count(*) FROM hive.%s.rfm_ready", schema)
	for inserted := false; ; time.Sleep(500 * time.Millisecond) {
		var err error
		if !inserted {
			_, err = s.db.Exec(insert)
			inserted = err == nil
		}
		if inserted {
			var n int
			if err = s.db.QueryRow(scan).Scan(&n); err == nil && n > 0 {
				break
			}
		}
		if time.Since(start) > 180*time.Second {
			s.stop()
			return nil, fmt.Errorf("trino cannot write and scan a Hive table 180s after start (inserted %v): %v", inserted, err)
		}
	}
	s.startup = time.Since(start)
	return s, nil
}

func (s *server) ready() bool {
	resp, err := http.Get(s.url + "/v1/info")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode == 200 && bytes.Contains(b, []byte(`"starting":false`))
}

func (s *server) stop() {
	if s.db != nil {
		s.db.Close()
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Process.Wait()
	}
	if s.log != nil {
		s.log.Close()
	}
	if s.startup > 0 { // a failed start keeps its log for the message
		os.RemoveAll(s.root)
	}
}

// notable returns what the server logged after it started, apart from the per-query
// timelines (node changes, warnings and errors), the last 60 lines of it.
func notable(path string) string {
	b, _ := os.ReadFile(path)
	var keep []string
	started := false
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.Contains(l, "SERVER STARTED"):
			started = true
		case started && l != "" && !strings.Contains(l, "TIMELINE: Query"):
			keep = append(keep, l)
		}
	}
	return strings.Join(keep[max(0, len(keep)-60):], "\n")
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "\n")
}

// trinoType is the column type the external table declares for a Parquet column.
func trinoType(c input.Column) string {
	switch c.Kind {
	case input.KindInt32:
		return "integer"
	case input.KindInt64:
		return "bigint"
	case input.KindFloat32:
		return "real"
	case input.KindFloat64:
		return "double"
	case input.KindDecimal:
		return fmt.Sprintf("decimal(%d,%d)", c.Precision, c.Scale)
	case input.KindString:
		return "varchar"
	case input.KindDate:
		return "date"
	case input.KindTimestamp:
		return "timestamp(6)"
	}
	panic("trino test: no Trino type for " + c.TypeString())
}

// register links or copies Parquet files into a fresh directory and registers it as an external table
// declaring the mapped columns, and returns the options of an engine reading it.
func (s *server) register(t testing.TB, cols engine.Columns, files ...string) Options {
	t.Helper()
	inspected, err := input.Inspect(files, cols)
	if err != nil {
		t.Fatal(err)
	}
	s.tableSeq++
	name := fmt.Sprintf("tx_%d_%d", s.tableSeq, time.Now().UnixNano()%1e6)
	dir := filepath.Join(s.dataDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		dst := filepath.Join(dir, filepath.Base(f))
		if os.Link(f, dst) == nil { // large benchmark files: no copy on the same file system
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var defs []string
	for _, rc := range mustMapping(t, cols) {
		c := inspected[0].Columns[rc[0]]
		defs = append(defs, quoteIdent(c.Name)+" "+trinoType(c))
	}
	ddl := fmt.Sprintf("CREATE TABLE %s (%s) WITH (external_location = '%s', format = 'PARQUET')",
		quoteName(catalog, schema, name), strings.Join(defs, ", "), "local://"+dir)
	if _, err := s.db.ExecContext(context.Background(), ddl); err != nil {
		t.Fatalf("%s: %v", ddl, err)
	}
	return Options{Server: s.url, User: "test", Catalog: catalog, Schema: schema, Table: name}
}

// parquetResults returns o reading its results back through Parquet files in the server's
// results directory, which both sides see at the same path.
func (s *server) parquetResults(o Options) Options {
	dir := filepath.Join(s.root, "results")
	o.Results, o.ResultsLocation, o.ResultsLocalDir = ResultsParquet, "local://"+dir, dir
	return o
}

func mustMapping(t testing.TB, cols engine.Columns) [][2]string {
	m, err := input.Mapping(cols)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
