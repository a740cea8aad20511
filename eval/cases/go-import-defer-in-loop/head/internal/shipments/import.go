package shipments

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
)

type Sink interface {
	Save(ctx context.Context, records [][]string) error
}

// ImportDir imports every .csv file in dir into sink.
func ImportDir(ctx context.Context, dir string, sink Sink) (int, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return 0, err
	}
	imported := 0
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return imported, fmt.Errorf("open %s: %w", path, err)
		}
		defer f.Close()
		records, err := csv.NewReader(f).ReadAll()
		if err != nil {
			return imported, fmt.Errorf("parse %s: %w", path, err)
		}
		if err := sink.Save(ctx, records); err != nil {
			return imported, fmt.Errorf("save %s: %w", path, err)
		}
		imported++
	}
	return imported, nil
}
