package main

// Count returns the number of lines in text.
func Count(text string) int { return len(text) }
