package main

import (
	"errors"
	"flag"
	"io/fs"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected files of testdata/script from what the commands print")

// TestScripts runs the command → output scripts of testdata/script (testscript's format: a
// command per line, then what its stdout or stderr must match, and files it must leave). They
// are the CLI's contract as a user meets it: run, backfill, report and the error paths with their
// messages and exit codes. `exits CODE rfm …` runs rfm and checks its exact exit code, `nofiles DIR` that no file is left
// under DIR; -rewrite
// updates the files compared with cmp.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *rewrite,
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// nofiles DIR: no file is left anywhere under DIR (the staging area after a run).
			"nofiles": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) != 1 {
					ts.Fatalf("usage: nofiles DIR")
				}
				filepath.WalkDir(ts.MkAbs(args[0]), func(path string, d fs.DirEntry, err error) error {
					if err == nil && !d.IsDir() {
						ts.Fatalf("%s is left under %s", path, args[0])
					}
					return nil
				})
			},
			"exits": func(ts *testscript.TestScript, neg bool, args []string) {
				if neg || len(args) < 2 {
					ts.Fatalf("usage: exits CODE command [args...]")
				}
				want, err := strconv.Atoi(args[0])
				if err != nil {
					ts.Fatalf("exits: %q is not an exit code", args[0])
				}
				got := 0
				if err := ts.Exec(args[1], args[2:]...); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						ts.Fatalf("exits: %v", err)
					}
					got = ee.ExitCode()
				}
				if got != want {
					ts.Fatalf("exit code %d, want %d", got, want)
				}
			},
		},
	})
}
