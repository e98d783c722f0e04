package user

import "context"

// ActorKey is the context key under which WithActor keeps who acts. It is exported for adapters
// whose context is not a context.Context of their own making (huma.WithValue); others use
// WithActor.
type ActorKey struct{}

// WithActor says who acts in ctx: the login of the web session's user or of the API token's.
// The web UI and the REST API set it once they know the user; 操作履歴 names them by it.
func WithActor(ctx context.Context, login string) context.Context {
	return context.WithValue(ctx, ActorKey{}, login)
}

// ActorOf is who acts in ctx, "" when nobody said.
func ActorOf(ctx context.Context) string {
	login, _ := ctx.Value(ActorKey{}).(string)
	return login
}
