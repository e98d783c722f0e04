package api

import (
	"encoding/json"
	"net/http"
	"testing"
)

// TestOpenAPIDocumentListsEveryOperation: /api/v1/openapi.json answers without a token, is
// OpenAPI 3.1 JSON, names the bearer scheme, and lists every operation of the table with its
// id and the permission it needs.
func TestOpenAPIDocumentListsEveryOperation(t *testing.T) {
	t.Parallel()
	b := setup(t, storetestSQLite)
	w := b.do(t, "", http.MethodGet, "/openapi.json", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("status %d", w.Code)
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct {
			URL string `json:"url"`
		} `json:"servers"`
		Paths      map[string]map[string]map[string]any `json:"paths"`
		Components struct {
			SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != Prefix {
		t.Errorf("servers %+v, want %s", doc.Servers, Prefix)
	}
	if s := doc.Components.SecuritySchemes[securityScheme]; s["scheme"] != "bearer" || s["type"] != "http" {
		t.Errorf("security scheme %+v", s)
	}
	for _, o := range b.h.Operations() {
		op := doc.Paths[o.Path][map[string]string{http.MethodGet: "get", http.MethodPost: "post", http.MethodPut: "put", http.MethodDelete: "delete", http.MethodPatch: "patch"}[o.Method]]
		if op == nil {
			t.Errorf("%s %s is not in the document", o.Method, o.Path)
			continue
		}
		if op["operationId"] != o.ID || op["x-ichigen-permission"] != b.h.ops[o.ID].permission() {
			t.Errorf("%s %s: operationId %v, permission %v", o.Method, o.Path, op["operationId"], op["x-ichigen-permission"])
		}
	}
}

// TestUnknownPathIsAProblemDocument: a URL below the prefix that no operation serves answers
// 404 as a problem document in Japanese.
func TestUnknownPathIsAProblemDocument(t *testing.T) {
	t.Parallel()
	b := setup(t, storetestSQLite)
	if p := problem(t, b.do(t, b.admin(t), http.MethodGet, "/nothing-here", nil), http.StatusNotFound); p.Detail == "" || p.Detail[0] < 0x80 {
		t.Errorf("detail %q", p.Detail)
	}
}
