package main

import "testing"

func TestCount(t *testing.T) {
	if Count("ab") != 2 {
		t.Fatal("count")
	}
}
