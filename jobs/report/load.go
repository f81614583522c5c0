package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"github.com/rfmjob/rfm/jobs/outputs"
	pq "github.com/rfmjob/rfm/jobs/parquetio"
	"github.com/rfmjob/rfm/jobs/store"
)

// Output tables the report reads, and the columns it wants of each (nil: every column; these
// tables are small).
var tableColumns = map[string][]string{
	outputs.TableCustomers:   {"r_score", "f_score", "monetary", "recency_days", "frequency", "profit", "tier", "p_alive", "clv", "clv_lo", "clv_hi", "churn_band"},
	outputs.TableSegments:    {"segment", "customers", "revenue"},
	outputs.TablePareto:      {"curve", "metric", "customer_share", "value"},
	outputs.TableTiers:       nil,
	outputs.TableCostToServe: {"grain", "tier", "activity", "cost", "customer_id"},
	outputs.TableClusters:    nil,
	outputs.TableMigration:   nil,
	outputs.TableCLV:         nil,
}

// Manifest is the run's manifest, the one type package store defines.
type Manifest = store.Manifest

// Data is everything one page shows: the manifest and the output tables of one date, keyed by
// table name (customers, segments, pareto, tiers, cost_to_serve, clusters, migration). A table
// that was not written is absent from Tables, and its charts are left out.
type Data struct {
	AsOf     string
	Manifest *Manifest
	Tables   map[string]*Frame
}

// PagePath is where the report of a date lives: DIR/report/as_of=D/index.html.
func PagePath(outDir, date string) string { return store.ReportPath(outDir, date) }

// PrepareRun draws the page of a run from the tables it is writing and its manifest-to-be. The
// tables come from memory exactly as they would be read back from their files (pq.TableOf), so
// the page is the one Build draws from the committed files, and a run draws it while the files
// are being written.
func PrepareRun(m *Manifest, tables []outputs.Table) (*Draft, error) {
	d := &Data{AsOf: m.AsOf, Manifest: m, Tables: map[string]*Frame{}}
	for _, tb := range tables {
		cols, used := tableColumns[tb.Name]
		if !used {
			continue
		}
		t, err := pq.TableOf(tb.Rows, tb.Cols, wanted(cols))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", tb.Name, err)
		}
		d.Tables[tb.Name] = frameOf(t)
	}
	return Prepare(d), nil
}

// Stage renders the page with the run's stages into the run's staging area, so that it is
// published with the tables and listed in the manifest.
func (dr *Draft) Stage(st *store.Staging, stages []store.Stage) error {
	var page bytes.Buffer
	if err := dr.Render(&page, stages); err != nil {
		return err
	}
	return st.WriteFile(store.ReportTable, store.ReportFile, 0, page.Bytes())
}

// Build rebuilds the report of a committed date from its outputs and publishes it (under the
// date's lock, through the staging area: a reader sees the old page or the new one). Rendering
// is deterministic, so the page of an unchanged date matches the manifest's hash again. It
// returns the page's path. A date without a committed manifest returns ErrIncomplete.
func Build(outDir, date string) (string, error) {
	lock, err := store.AcquireLock(outDir, date)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	d, err := Load(outDir, date)
	if err != nil {
		return "", err
	}
	page, err := Page(d)
	if err != nil {
		return "", err
	}
	path := PagePath(outDir, date)
	if err := store.WriteFile(outDir, path, page); err != nil {
		return "", fmt.Errorf("report %s: %w", date, err)
	}
	return path, nil
}

// Page renders the page of d.
func Page(d *Data) ([]byte, error) {
	var page bytes.Buffer
	if err := Render(&page, d); err != nil {
		return nil, err
	}
	return page.Bytes(), nil
}

// Load reads the manifest and the output tables of a committed date.
func Load(outDir, date string) (*Data, error) {
	m, err := store.ReadManifest(outDir, date)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no manifest for %s (run the job for that date first)", ErrIncomplete, outDir, date)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return load(m, func(table string) (string, bool) { return store.TablePath(outDir, table, date), true })
}

// wanted accepts the columns named in cols, or every column when cols is nil.
func wanted(cols []string) func(name string) bool {
	if cols == nil {
		return func(string) bool { return true }
	}
	return func(name string) bool { return slices.Contains(cols, name) }
}

// load reads the tables the report uses from where path says each is, concurrently (each is
// read alone into its own frame); the first error in table-name order is returned.
func load(m *Manifest, path func(table string) (string, bool)) (*Data, error) {
	d := &Data{AsOf: m.AsOf, Manifest: m, Tables: map[string]*Frame{}}
	var tables []string
	for table := range tableColumns {
		tables = append(tables, table)
	}
	slices.Sort(tables)
	frames, errs := make([]*Frame, len(tables)), make([]error, len(tables))
	var wg sync.WaitGroup
	for i, table := range tables {
		p, ok := path(table)
		if !ok {
			continue // not written: its charts are left out
		}
		wg.Go(func() { frames[i], errs[i] = readFrame(p, wanted(tableColumns[table])) })
	}
	wg.Wait()
	for i, table := range tables {
		switch err := errs[i]; {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, err
		case frames[i] != nil:
			d.Tables[table] = frames[i]
		}
	}
	return d, nil
}
