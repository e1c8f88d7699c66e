package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mcptether/mcptether/config"
	"github.com/mcptether/mcptether/internal/safefile"
	"github.com/mcptether/mcptether/pin"
)

// PinPlan is what pinning would change: the edits, the references left
// alone and why, and each file's new content.
type PinPlan struct {
	Changes  []pin.Change
	Skips    []pin.Skip
	Results  []pin.Result
	Warnings []string // passed over while discovering
	Errors   []string // paths that could not be read

	files map[string]*config.File
}

// Pin plans the pinning of every unpinned reference: the same preparation
// as a scan, then the registries' versions, digests and commits. Nothing
// is written until Write.
func Pin(ctx context.Context, o Options) (*PinPlan, error) {
	o.defaults()
	if o.offline() {
		return nil, errors.New("pinning looks versions, digests and commits up in the registries; it cannot run offline")
	}
	p, err := prepare(&o)
	if err != nil {
		return nil, err
	}
	plan := &PinPlan{Warnings: p.found.Warnings, Errors: p.found.Errors, files: map[string]*config.File{}}
	if len(plan.Errors) > 0 {
		return plan, nil
	}
	for _, f := range p.found.Files {
		plan.files[f.Path] = f
	}
	plan.Changes, plan.Skips = pin.Plan(ctx, p.resolver, p.servers, pin.Options{MinAge: p.minAge, Now: o.Now()})
	// A file is read and rewritten where its content really is (a
	// symlink's target inside the tree), through an os.Root at its tree:
	// never outside it, and a link stays a link.
	plan.Results, err = pin.Apply(plan.Changes, func(name string) ([]byte, error) {
		var data []byte
		err := plan.inTree(name, func(r *os.Root, real string) (err error) {
			data, err = safefile.Read(r, real, config.MaxFileSize)
			return err
		})
		return data, err
	})
	return plan, err
}

// Write writes every changed file.
func (p *PinPlan) Write() error {
	for _, res := range p.Results {
		if err := p.inTree(res.File, func(r *os.Root, real string) error { return safefile.WriteIn(r, real, res.New) }); err != nil {
			return fmt.Errorf("failed to write %s: %w", res.File, safefile.Explain(err))
		}
	}
	return nil
}

// inTree runs fn on a file's real place inside its tree.
func (p *PinPlan) inTree(name string, fn func(*os.Root, string) error) error {
	f := p.files[name]
	if f == nil || f.Root == "" {
		return errors.New("not read from disk")
	}
	r, err := os.OpenRoot(f.Root)
	if err != nil {
		return err
	}
	defer r.Close()
	return fn(r, filepath.FromSlash(f.Real))
}
