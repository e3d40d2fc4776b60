package migrate_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fugu/migrate"
)

// BenchmarkUnifiedDiff diffs two 2,000-line files that differ in every
// tenth line, the size of a large /etc file.
func BenchmarkUnifiedDiff(b *testing.B) {
	var x, y strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&x, "line %d\n", i)
		if i%10 == 0 {
			fmt.Fprintf(&y, "changed %d\n", i)
		} else {
			fmt.Fprintf(&y, "line %d\n", i)
		}
	}
	a, c := x.String(), y.String()
	for b.Loop() {
		migrate.UnifiedDiff("a", "b", a, c)
	}
}

// BenchmarkUnifiedDiffOneLine diffs two 2,000-line files that differ in
// one line in the middle, the common case of an edited config file.
func BenchmarkUnifiedDiffOneLine(b *testing.B) {
	var x strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&x, "line %d\n", i)
	}
	a := x.String()
	c := strings.Replace(a, "line 1000\n", "changed\n", 1)
	for b.Loop() {
		migrate.UnifiedDiff("a", "b", a, c)
	}
}

// BenchmarkNewPlan plans the two fake laptops of plan_test.go.
func BenchmarkNewPlan(b *testing.B) {
	ctx := context.Background()
	oi, err := migrate.Collect(ctx, oldMachine(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ni, err := migrate.Collect(ctx, newMachine(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ifmap, notes := migrate.MapInterfaces(oldFacts, newFacts, nil, nil)
	opts := migrate.Options{IfMap: ifmap, IfNotes: notes, OldFacts: oldFacts, NewFacts: newFacts}
	for b.Loop() {
		migrate.NewPlan(oi, ni, opts)
	}
}
