package jobs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rfmjob/rfm/jobs/report"
	"github.com/rfmjob/rfm/jobs/store"
)

// TestReportIsPartOfTheCommit: the page is listed in the manifest with its size and hash, a run
// stopped after everything is staged publishes nothing (no manifest, no page, no temporary file
// outside the staging area), a lost page makes the date incomplete, and `rfm report` restores
// it byte for byte.
func TestReportIsPartOfTheCommit(t *testing.T) {
	in := generatedInput(t, smallDemo)
	out := t.TempDir()
	cfg := demoConfig(t, in, out)

	// Stopped between staging and publishing: nothing of the date is visible.
	ctx, cancel := context.WithCancel(context.Background())
	_, err := Run(ctx, cfg, "2024-06-30", RunOptions{BeforeCommit: cancel})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("run stopped before the commit: %v, want ErrInterrupted", err)
	}
	for _, p := range []string{store.ManifestPath(out, "2024-06-30"), store.ReportPath(out, "2024-06-30")} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after a run stopped before its commit", p)
		}
	}

	m, err := Run(context.Background(), demoConfig(t, in, out), "2024-06-30", RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page, ok := m.Output(store.ReportTable)
	if !ok || page.Path != "report/as_of=2024-06-30/index.html" || page.Bytes == 0 || page.XXH3 == "" {
		t.Fatalf("manifest lists the report as %+v (listed %v), want its path, size and hash", page, ok)
	}
	if _, err := store.Complete(out, "2024-06-30"); err != nil {
		t.Fatalf("fresh date not complete: %v", err)
	}
	walkNoTemp(t, out)

	// A lost page: the date is not complete; a rebuild restores exactly the committed page.
	before, _ := os.ReadFile(store.ReportPath(out, "2024-06-30"))
	os.Remove(store.ReportPath(out, "2024-06-30"))
	if _, err := store.Complete(out, "2024-06-30"); !errors.Is(err, store.ErrIncomplete) {
		t.Fatalf("date without its page: %v, want ErrIncomplete", err)
	}
	if _, err := report.Build(out, "2024-06-30"); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(store.ReportPath(out, "2024-06-30"))
	if string(before) != string(after) {
		t.Error("the rebuilt page differs from the committed one")
	}
	if _, err := store.Complete(out, "2024-06-30"); err != nil {
		t.Errorf("after the rebuild: %v, want complete", err)
	}
	walkNoTemp(t, out)

	// A changed table is not complete either.
	cust := store.TablePath(out, "customers", "2024-06-30")
	data, _ := os.ReadFile(cust)
	os.WriteFile(cust, append(data, 0), 0o644)
	if _, err := store.Complete(out, "2024-06-30"); !errors.Is(err, store.ErrIncomplete) {
		t.Errorf("date with a changed table: %v, want ErrIncomplete", err)
	}
}

// TestPublishFailureLeavesTheDateUncommitted: a page that cannot be published during the commit
// (its path taken by a directory) fails the run. Files of the date may already be replaced by
// then, so the date is left without a manifest (a manifest never describes files that are not
// its own): it is not complete, and once the obstacle is gone the next run commits it.
// (Failures before the commit, a full disk while staging, leave the previous commit as it was:
// TestCrashSafety in cmd/rfm.)
func TestPublishFailureLeavesTheDateUncommitted(t *testing.T) {
	in := generatedInput(t, smallDemo)
	out := t.TempDir()
	if _, err := Run(context.Background(), demoConfig(t, in, out), "2024-06-30", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	page := store.ReportPath(out, "2024-06-30")
	os.Remove(page)
	if err := os.MkdirAll(filepath.Join(page, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), demoConfig(t, in, out), "2024-06-30", RunOptions{}); err == nil || Classify(err).Exit != ExitFailure {
		t.Fatalf("run whose page cannot be published: %v, want a failure (exit 1)", err)
	}
	if _, err := os.Stat(store.ManifestPath(out, "2024-06-30")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after a failed commit the date still has a manifest (%v)", err)
	}
	if _, err := store.Complete(out, "2024-06-30"); !errors.Is(err, store.ErrIncomplete) {
		t.Errorf("after a failed commit: %v, want ErrIncomplete", err)
	}
	os.RemoveAll(page)
	if _, err := Run(context.Background(), demoConfig(t, in, out), "2024-06-30", RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Complete(out, "2024-06-30"); err != nil {
		t.Errorf("after the next run: %v, want complete", err)
	}
}

// walkNoTemp fails on any file outside the staging area that is not an output, a manifest or a
// lock.
func walkNoTemp(t *testing.T, out string) {
	t.Helper()
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		rel, _ := filepath.Rel(out, p)
		if d.IsDir() {
			if rel == ".staging" || rel == ".locks" {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Base(p) {
		case store.DataFile, store.ReportFile, "manifest.json":
		default:
			t.Errorf("stray file %s in the output directory", rel)
		}
		return nil
	})
}
