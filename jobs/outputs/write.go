package outputs

import (
	"errors"
	"fmt"
	"sync"

	pq "github.com/rfmjob/rfm/jobs/parquetio"
	"github.com/rfmjob/rfm/jobs/store"
)

// Write writes tables into the staging area, concurrently: each file's serial parts (committing
// row groups into the file, syncing it) overlap with encoding the others.
func Write(st *store.Staging, tables []Table) error {
	paths := make([]string, len(tables))
	for k, tb := range tables {
		path, err := st.Create(tb.Name, store.DataFile, int64(tb.Rows))
		if err != nil {
			return err
		}
		paths[k] = path
	}
	errs := make([]error, len(tables))
	var wg sync.WaitGroup
	for k, tb := range tables {
		wg.Go(func() {
			if err := pq.WriteFile(paths[k], tb.Name, tb.Rows, tb.Cols); err != nil {
				errs[k] = fmt.Errorf("%s: %w", tb.Name, err)
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Page is a file published beside a table's data file (the page of `rfm evaluate`).
type Page struct {
	Table, File string
	Data        []byte
}

// Publish writes tables of a date outside a full run (the holdout tables of `rfm evaluate`)
// and pages beside them, under the date's lock, through the staging area; it leaves the date's
// manifest alone. Each file replaces its predecessor atomically, the pages last, so a page never
// describes tables that are not there. It returns the first table's path relative to the output
// directory.
func Publish(outDir, date string, tables []Table, pages ...Page) (string, error) {
	lock, err := store.AcquireLock(outDir, date)
	if err != nil {
		return "", err
	}
	defer lock.Release()
	st, err := store.NewStaging(outDir, date)
	if err != nil {
		return "", err
	}
	defer st.Discard()
	if err := Write(st, tables); err != nil {
		return "", err
	}
	for _, p := range pages {
		if err := st.WriteFile(p.Table, p.File, 0, p.Data); err != nil {
			return "", err
		}
	}
	for _, tb := range tables {
		if err := st.PublishFile(tb.Name, store.DataFile); err != nil {
			return "", err
		}
	}
	for _, p := range pages {
		if err := st.PublishFile(p.Table, p.File); err != nil {
			return "", err
		}
	}
	return tables[0].Name + "/as_of=" + date + "/" + store.DataFile, nil
}
