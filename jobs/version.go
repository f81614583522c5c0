package jobs

import (
	"runtime/debug"
)

// Version is the build's version: set with -ldflags "-X github.com/rfmjob/rfm/jobs.version=…",
// else the module version, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

var version string
