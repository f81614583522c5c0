package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// Hash returns the SHA-256 of the normalized configuration, so two runs can be told to have used
// the same settings.
func (c *Config) Hash() string {
	data, _ := json.Marshal(c)
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
