module github.com/acme/tally

go 1.22
