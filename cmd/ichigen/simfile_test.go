package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/ichigen-oms/ichigen/internal/channel/csvshop"
	"github.com/ichigen-oms/ichigen/internal/orderimport"
)

// TestSimOfAFileOnlyChannelWritesAnOrderFile: `ichigen sim csvshop` has no marketplace to run;
// it writes an order file that the CSV demo shop's column mapping reads, and refuses a count
// out of range.
func TestSimOfAFileOnlyChannelWritesAnOrderFile(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	runErr := simCommand().Run(context.Background(), []string{"sim", csvshop.Name, "--orders", "7"})
	os.Stdout = stdout
	w.Close()
	out, _ := io.ReadAll(r)
	if runErr != nil {
		t.Fatal(runErr)
	}
	var m orderimport.Mapping
	if b, err := json.Marshal(csvshop.DemoMapping); err != nil || json.Unmarshal(b, &m) != nil {
		t.Fatal(err)
	}
	orders, err := orderimport.Read(strings.NewReader(string(out)), m)
	if err != nil || len(orders) != 7 || orders[6].Number != "TEL-000007" {
		t.Fatalf("%d orders, %v:\n%s", len(orders), err, out)
	}
	if err := simCommand().Run(context.Background(), []string{"sim", csvshop.Name, "--orders", "0"}); err == nil || !strings.Contains(err.Error(), "--orders") {
		t.Fatalf("--orders 0: %v", err)
	}
}
