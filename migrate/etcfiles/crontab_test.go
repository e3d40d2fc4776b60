package etcfiles

import (
	"fmt"
	"strings"
	"testing"
)

func TestRedactCrontab(t *testing.T) {
	tests := []struct{ in, want string }{
		// Environment lines.
		{"PGPASSWORD=hunter2\n", "PGPASSWORD=<redacted>\n"},
		{"MYSQL_PWD = 's3cr3t'\n", "MYSQL_PWD = <redacted>\n"},
		{"api_key=abc123\n", "api_key=<redacted>\n"},
		{"MAILTO=peter@example.org\n", "MAILTO=peter@example.org\n"},
		{"PATH=/bin:/usr/bin\n", "PATH=/bin:/usr/bin\n"},
		// Assignments before a command.
		{"0 3 * * * PGPASSWORD=hunter2 pg_dump db > /var/backups/db.sql\n", "0 3 * * * PGPASSWORD=<redacted> pg_dump db > /var/backups/db.sql\n"},
		{"@daily LANG=C RESTIC_PASSWORD='a b' restic backup\n", "@daily LANG=C RESTIC_PASSWORD=<redacted> restic backup\n"},
		// URLs.
		{"*/5 * * * * ftp -o - https://peter:hunter2@example.org/x\n", "*/5 * * * * ftp -o - https://peter:<redacted>@example.org/x\n"},
		{"@hourly rsync rsync://mirror.example.org/pub /srv\n", "@hourly rsync rsync://mirror.example.org/pub /srv\n"},
		{"@hourly ftp -o - 'https://example.org/feed?user=peter&token=abc123'\n", "@hourly ftp -o - 'https://example.org/feed?user=peter&token=<redacted>'\n"},
		{"@hourly ftp -o - https://example.org/feed?api_key=abc123\n", "@hourly ftp -o - https://example.org/feed?api_key=<redacted>\n"},
		// curl's user:password and authorization headers.
		{"@daily curl -u peter:hunter2 https://example.org/x\n", "@daily curl -u peter:<redacted> https://example.org/x\n"},
		{"@daily curl --user 'peter:hunter 2' https://example.org/x\n", "@daily curl --user 'peter:<redacted>' https://example.org/x\n"},
		{"@daily curl -upeter:hunter2 https://example.org/x\n", "@daily curl -upeter:<redacted> https://example.org/x\n"},
		{"@daily crontab -u peter /tmp/tab\n", "@daily crontab -u peter /tmp/tab\n"},
		{"@daily curl -H 'Authorization: Bearer abc123' https://example.org/x\n", "@daily curl -H 'Authorization: Bearer <redacted>' https://example.org/x\n"},
		{"@daily curl --header \"PRIVATE-TOKEN: abc123\" https://example.org/x\n", "@daily curl --header \"PRIVATE-TOKEN: <redacted>\" https://example.org/x\n"},
		{"@daily curl -H 'X-Api-Key:abc123' https://example.org/x\n", "@daily curl -H 'X-Api-Key:<redacted>' https://example.org/x\n"},
		// Other tools' password forms.
		{"@daily sshpass -p 'hunter 2' rsync -a /home host:/b\n", "@daily sshpass -p <redacted> rsync -a /home host:/b\n"},
		{"@daily sshpass -phunter2 ssh host true\n", "@daily sshpass -p<redacted> ssh host true\n"},
		{"@daily lftp -u peter,hunter2 -e mirror ftp.example.org\n", "@daily lftp -u peter,<redacted> -e mirror ftp.example.org\n"},
		{"@daily smbclient //nas/b -U peter%hunter2 -c ls\n", "@daily smbclient //nas/b -U peter%<redacted> -c ls\n"},
		{"@daily openssl enc -aes256 -pass pass:hunter2 -in x\n", "@daily openssl enc -aes256 -pass <redacted> -in x\n"},
		{"@daily openssl rsa -passin pass:hunter2 -in k\n", "@daily openssl rsa -passin pass:<redacted> -in k\n"},
		{"@daily rsync -p -a /a /b\n", "@daily rsync -p -a /a /b\n"},
		// Options.
		{"@daily borg --password=hunter2 create\n", "@daily borg --password=<redacted> create\n"},
		{"@daily tool --token abc123 --verbose\n", "@daily tool --token <redacted> --verbose\n"},
		{"@daily tool --db-password \"x y\" --quiet\n", "@daily tool --db-password <redacted> --quiet\n"},
		{"@daily tool --passes 3\n", "@daily tool --passes 3\n"},
		// mysql's glued -p.
		{"0 1 * * * mysqldump -uroot -phunter2 db | gzip > db.gz\n", "0 1 * * * mysqldump -uroot -p<redacted> db | gzip > db.gz\n"},
		{"0 1 * * * mysql -p db < x.sql\n", "0 1 * * * mysql -p db < x.sql\n"},
		{"0 1 * * * tar -pcf /tmp/x.tar /home\n", "0 1 * * * tar -pcf /tmp/x.tar /home\n"},
		// Comments, blank lines and no final newline are kept...
		{"# nightly dump of the main database\n\n@reboot x", "# nightly dump of the main database\n\n@reboot x"},
		// ...but not a secret in a job or a variable commented out.
		{"#0 3 * * * PGPASSWORD=hunter2 pg_dump db\n", "#0 3 * * * PGPASSWORD=<redacted> pg_dump db\n"},
		{"  ## PASSWORD=hunter2\n", "  ## PASSWORD=<redacted>\n"},
		{"# @daily curl https://peter:hunter2@example.org/x\n", "# @daily curl https://peter:<redacted>@example.org/x\n"},
	}
	for _, tt := range tests {
		if got := RedactCrontab(tt.in); got != tt.want {
			t.Errorf("RedactCrontab(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRedactCrontab(f *testing.F) {
	f.Add("PGPASSWORD=x\n0 3 * * * mysqldump -pSECRET db\n@daily curl https://u:p@h/\n")
	f.Add("@daily tool --token abc --password=\"a b\"\n# c\n")
	f.Fuzz(func(t *testing.T, in string) {
		out := RedactCrontab(in)
		if strings.Count(out, "\n") != strings.Count(in, "\n") {
			t.Fatalf("line count changed: %q -> %q", in, out)
		}
		if again := RedactCrontab(out); again != out {
			t.Fatalf("not stable: %q -> %q -> %q", in, out, again)
		}
	})
}

// FuzzRedactCrontabSecrets puts an arbitrary secret into each form of
// job RedactCrontab knows (commented out or not) and checks that no
// trace of it is left in the redacted text.
func FuzzRedactCrontabSecrets(f *testing.F) {
	for i, s := range []string{"hunter22", "S3cr3t-Pa55", "a=b.c~d+e", "-dash-first", "x*y!z^w,v%u"} {
		f.Add(s, uint8(i))
	}
	forms := []string{
		"PGPASSWORD=%s",
		"MYSQL_PWD = %s",
		"0 3 * * * PGPASSWORD=%s pg_dump db",
		"0 3 * * * mysqldump -p%s --all-databases > /var/backups/all.sql",
		"@daily curl -u backup:%s https://example.org/push",
		"@daily curl -sf https://backup:%s@example.org/x",
		"@daily restic --password %s backup /home",
		"@daily restic --password=%s backup /home",
		"@daily curl -H 'Authorization: Bearer %s' https://example.org/",
		"@daily curl -H \"PRIVATE-TOKEN: %s\" https://example.org/",
		"@daily sshpass -p %s ssh backup@example.org",
		"@daily curl 'https://example.org/hook?x=1&token=%s'",
		"@daily lftp -u backup,%s sftp://example.org",
		"@daily smbclient -U backup%%%s //nas/share",
		"@daily openssl enc -pass pass:%s -in a -out b",
	}
	f.Fuzz(func(t *testing.T, secret string, form uint8) {
		// A secret as such jobs carry it: no blank, quote or shell
		// operator, and none of the separators of the forms above.
		if len(secret) < 6 || strings.ContainsFunc(secret, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._~+=!^*-", r))
		}) {
			return
		}
		line := fmt.Sprintf(forms[int(form)%len(forms)], secret)
		if form >= 128 {
			line = "#" + line
		}
		if strings.Contains(strings.Replace(line, secret, "", 1), secret) {
			return // the secret is also part of the job's other words
		}
		out := RedactCrontab(line + "\n")
		if strings.Contains(out, secret) {
			t.Fatalf("RedactCrontab(%q) = %q: the secret is left", line, out)
		}
	})
}
