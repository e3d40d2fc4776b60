package main

import (
	"fmt"
	"io"

	"fugu/migrate"

	"github.com/schollz/progressbar/v3"
)

// migrateProgress shows an Apply run: a progress bar over the packages
// when standard error is a terminal, and one line per finished item on
// standard output (unless --json).
type migrateProgress struct {
	out  io.Writer
	err  io.Writer
	tty  bool
	bar  *progressbar.ProgressBar
	json bool
}

var _ migrate.Progress = (*migrateProgress)(nil)

func newMigrateProgress(s *Streams, json bool) *migrateProgress {
	return &migrateProgress{out: s.Out, err: s.Err, tty: IsTerminal(s.Err), json: json}
}

func (p *migrateProgress) Begin(kind string, total int) {
	p.finish()
	if kind == "package" && total > 0 && p.tty {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.err),
			progressbar.OptionSetDescription("packages"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
		)
	}
}

func (p *migrateProgress) Start(kind, name string) {
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("pkg_add %s", name))
	}
}

func (p *migrateProgress) Done(r migrate.Result) {
	if p.bar != nil {
		_ = p.bar.Add(1)
	}
	if p.json {
		return
	}
	line := fmt.Sprintf("%-7s %-7s %s", r.Outcome, r.Kind, r.Name)
	if r.Detail != "" {
		line += ": " + r.Detail
	}
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	fmt.Fprintln(p.out, line)
}

func (p *migrateProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}
