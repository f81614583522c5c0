package objstore

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Resolve expands an s3:// URL the way input.Resolve expands a local path: an object is taken
// as given, whatever its name; a prefix (s3://bucket/dir/ or s3://bucket/dir) is listed
// recursively for keys ending in ".parquet" (hive partitions such as year=2024/ included),
// skipping path components below it that start with "." or "_"; a glob (path.Match syntax, *
// not crossing "/") matches keys component by component, and a prefix it matches is listed as
// above. The URLs come back sorted, with their sizes and ETags from the listing.
func Resolve(ctx context.Context, pattern string) ([]Info, error) {
	bucket, key, err := splitURL(pattern)
	if err != nil {
		return nil, err
	}
	c, err := client(ctx)
	if err != nil {
		return nil, err
	}
	glob := strings.ContainsAny(key, `*?[\`)
	var objects []Info
	if !glob {
		// An object of exactly that key is taken as given.
		if key != "" && !strings.HasSuffix(key, "/") {
			info, err := Stat(ctx, pattern)
			switch {
			case err == nil:
				remember([]Info{info})
				return []Info{info}, nil
			case !errors.Is(err, ErrNotFound):
				return nil, err
			}
		}
		dir := key
		if dir != "" && !strings.HasSuffix(dir, "/") {
			dir += "/"
		}
		err := list(ctx, c, bucket, dir, func(k string, o Info) {
			if underParquet(strings.TrimPrefix(k, dir)) {
				objects = append(objects, o)
			}
		})
		if err != nil {
			return nil, classify("LIST", pattern, err)
		}
	} else {
		if _, err := path.Match(key, ""); err != nil {
			return nil, fmt.Errorf("%w: bad pattern %q: %v", ErrURL, pattern, err)
		}
		literal := key[:strings.IndexAny(key, `*?[\`)]
		depth := strings.Count(key, "/") + 1
		err := list(ctx, c, bucket, literal, func(k string, o Info) {
			parts := strings.Split(k, "/")
			if len(parts) < depth {
				return
			}
			head := strings.Join(parts[:depth], "/")
			if ok, _ := path.Match(key, head); !ok {
				return
			}
			// The pattern names the object itself, or a prefix listed below it.
			if len(parts) == depth || underParquet(strings.Join(parts[depth:], "/")) {
				objects = append(objects, o)
			}
		})
		if err != nil {
			return nil, classify("LIST", pattern, err)
		}
	}
	slices.SortFunc(objects, func(a, b Info) int { return strings.Compare(a.URL, b.URL) })
	if len(objects) == 0 {
		return nil, fmt.Errorf("%w match %q", ErrNoObjects, pattern)
	}
	remember(objects)
	return objects, nil
}

// underParquet reports whether rel, a key relative to a listed prefix, is a Parquet object
// that is not hidden: it ends in ".parquet" and none of its components starts with "." or "_".
func underParquet(rel string) bool {
	if !strings.HasSuffix(rel, ".parquet") {
		return false
	}
	for _, part := range strings.Split(rel, "/") {
		if part == "" || strings.HasPrefix(part, ".") || strings.HasPrefix(part, "_") {
			return false
		}
	}
	return true
}

// list calls found for every object under prefix in bucket, page after page.
func list(ctx context.Context, c *s3.Client, bucket, prefix string, found func(key string, o Info)) error {
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, o := range page.Contents {
			key := aws.ToString(o.Key)
			if key == "" || strings.HasSuffix(key, "/") {
				continue // a directory marker
			}
			found(key, Info{URL: joinURL(bucket, key), Size: aws.ToInt64(o.Size), ETag: aws.ToString(o.ETag), Modified: aws.ToTime(o.LastModified)})
		}
	}
	return nil
}
