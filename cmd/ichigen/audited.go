package main

import (
	"context"
	osuser "os/user"

	"github.com/ichigen-oms/ichigen/internal/app"
	"github.com/ichigen-oms/ichigen/internal/audit"
	"github.com/ichigen-oms/ichigen/internal/config"
	"github.com/ichigen-oms/ichigen/internal/store"
	"github.com/ichigen-oms/ichigen/internal/user"
)

// openAudited opens the store for a command that changes users or tokens: what it changes goes
// to 操作履歴 as done from the shell, by the operating system's user.
func openAudited(ctx context.Context, cfg *config.Config) (context.Context, store.Store, error) {
	st, err := app.OpenStore(ctx, cfg, logger(cfg))
	if err != nil {
		return ctx, nil, err
	}
	return user.WithActor(ctx, shellActor()), audit.Wrap(st, logger(cfg)), nil
}

// shellActor names whoever runs a command: 「ichigen CLI (root)」.
func shellActor() string {
	if u, err := osuser.Current(); err == nil && u.Username != "" {
		return "ichigen CLI (" + u.Username + ")"
	}
	return "ichigen CLI"
}
