package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ichigen-oms/ichigen/internal/channel"
)

// TestSimHasACommandForEveryChannel: `ichigen sim` offers each connected channel's simulator with
// the credentials it accepts as flags, and refuses one given empty before it listens.
func TestSimHasACommandForEveryChannel(t *testing.T) {
	t.Parallel()
	cmd := simCommand()
	seen := 0
	for _, spec := range channel.All() {
		if spec.Planned || spec.FileOnly {
			continue // a file-only channel's command is TestSimOfAFileOnlyChannelWritesAnOrderFile's
		}
		seen++
		sub := cmd.Command(spec.Name)
		if sub == nil {
			t.Fatalf("no `ichigen sim %s`", spec.Name)
		}
		for _, f := range spec.Simulator.Flags {
			if !sub.IsSet(f.Flag) && sub.String(f.Flag) != f.Default {
				t.Errorf("%s: --%s defaults to %q, want %q", spec.Name, f.Flag, sub.String(f.Flag), f.Default)
			}
		}
		first := spec.Simulator.Flags[0].Flag
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // a simulator that starts serves until then
		err := simCommand().Run(ctx, []string{"sim", spec.Name, "--addr", "127.0.0.1:0", "--" + first, ""})
		if err == nil || !strings.Contains(err.Error(), "--"+first+" を指定してください") {
			t.Errorf("%s with an empty --%s: %v", spec.Name, first, err)
		}
		cancel()
	}
	if seen < 2 {
		t.Fatalf("%d connected channels registered", seen)
	}
}
