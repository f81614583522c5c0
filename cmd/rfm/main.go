// Command rfm turns a transaction history into customer-value intelligence: RFM scores and
// segments, Pareto concentration and more, written as partitioned Parquet for BI tools.
//
// It only parses flags and maps errors to exit codes; the work is in package jobs.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/rfmjob/rfm/jobs"
)

const exitCodesHelp = `
Exit codes:
  0    success
  1    failure (bad input, write error)
  2    usage or configuration error
  3    partial failure (some dates of a backfill failed)
  4    input missing (no file matched; retry when upstream has delivered)
  75   temporary, retry later: another run of the same date holds its lock, or the object
       store (s3://) is unreachable
  130  interrupted (SIGINT/SIGTERM); nothing was committed
`

var commands = []struct {
	name, summary string
	run           func(ctx context.Context, args []string, env *env) error
}{
	{"run", "compute every output of one as-of date", cmdRun},
	{"backfill", "run a range of as-of dates, skipping complete ones", cmdBackfill},
	{"schedule", "run dates as a cron schedule comes due, until stopped", cmdSchedule},
	{"demo", "generate demo data and run the whole job on it", cmdDemo},
	{"evaluate", "check the CLV model on a calibration/holdout split", cmdEvaluate},
	{"gen", "write synthetic transactions to Parquet", cmdGen},
	{"report", "rebuild the HTML report of a date from its outputs", cmdReport},
	{"version", "print the version", cmdVersion},
}

// env is what commands may touch of the process: streams, variables, whether stderr is a
// terminal. Tests substitute it.
type env struct {
	stdout, stderr io.Writer
	vars           []string
	terminal       bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, vars: os.Environ(), terminal: term.IsTerminal(int(os.Stderr.Fd()))}
	code := runMain(ctx, os.Args[1:], e)
	stop()
	os.Exit(code)
}

func runMain(ctx context.Context, args []string, e *env) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return jobs.ExitUsage
		}
		return jobs.ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return exitCode(c.run(ctx, args[1:], e), e)
		}
	}
	fmt.Fprintf(e.stderr, "rfm: unknown command %q\n\n", args[0])
	usage(e.stderr)
	return jobs.ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: rfm <command> [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'rfm <command> --help' for a command's flags.\n%s", exitCodesHelp)
}

// errUsage marks a command-line mistake already explained to the user.
var errUsage = errors.New("usage")

// errPartial marks a backfill in which some dates failed.
var errPartial = errors.New("partial failure")

// exitCode maps a command's error to the exit code: jobs.Classify, the one classification,
// apart from the command line's own usage and partial-failure marks.
func exitCode(err error, e *env) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return jobs.ExitOK
	}
	if !errors.Is(err, errUsage) {
		fmt.Fprintf(e.stderr, "rfm: %v\n", err)
	}
	switch {
	case errors.Is(err, errUsage):
		return jobs.ExitUsage
	case errors.Is(err, errPartial):
		return jobs.ExitPartial
	}
	return jobs.Classify(err).Exit
}

// newFlagSet returns a flag set whose --help names the command, its flags and the exit codes.
func newFlagSet(name, synopsis string, e *env) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: rfm %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprint(e.stderr, exitCodesHelp)
	}
	return fs
}

// parse parses flags, turning a parse error into errUsage (the flag package already printed it).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "rfm %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

// logging holds the flags every job command shares.
type logging struct {
	quiet  bool
	format string
}

func (l *logging) register(fs *flag.FlagSet) {
	fs.BoolVar(&l.quiet, "q", false, "print nothing on success")
	fs.StringVar(&l.format, "log-format", "", "log format: text or json (default: text on a terminal, none otherwise)")
}

// logger returns the structured logger: JSON or text lines on stderr when asked for, else
// nothing (silence under cron).
func (l *logging) logger(e *env) (*slog.Logger, error) {
	switch l.format {
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, nil)), nil
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, nil)), nil
	case "":
		return slog.New(slog.DiscardHandler), nil
	default:
		return nil, fmt.Errorf("%w: --log-format is %q, want text or json", jobs.ErrConfig, l.format)
	}
}

func cmdVersion(_ context.Context, args []string, e *env) error {
	fs := newFlagSet("version", "version", e)
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rfm %s\n", jobs.Version())
	return nil
}
