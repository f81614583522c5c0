package main

import (
	"os"
	"path/filepath"

	"github.com/rfmjob/rfm/jobs/objstore/gateway"
)

// gatewayBucket is the bucket the rfm-s3 side reads the data from.
const gatewayBucket = "bench"

// startGateway serves the data file from a Versity S3 Gateway on localhost (dir/s3root/bench/FILE,
// a hard link to the data, or a copy across file systems) and points the sides' AWS environment
// at it; stop stops it.
func startGateway(dir, data string) (stop func(), err error) {
	root := filepath.Join(dir, "s3root")
	obj := filepath.Join(root, gatewayBucket, filepath.Base(data))
	if err := os.MkdirAll(filepath.Dir(obj), 0o755); err != nil {
		return nil, err
	}
	if st, err := os.Stat(obj); err != nil || st.Size() == 0 {
		os.Remove(obj)
		if err := os.Link(data, obj); err != nil {
			if err := copyFile(data, obj); err != nil {
				return nil, err
			}
		}
	}
	// Without metadata: the object is the file as it is, with no ETag to record.
	g, err := gateway.Start(root, true)
	if err != nil {
		return nil, err
	}
	for k, v := range g.Env() {
		os.Setenv(k, v)
	}
	return g.Stop, nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}
