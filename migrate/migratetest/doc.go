// Package migratetest has in-memory migrate.Machine fakes for tests: a
// machine with files, packages and crontabs (New), one with nothing
// (Empty) and one whose every operation fails (Broken).
package migratetest
