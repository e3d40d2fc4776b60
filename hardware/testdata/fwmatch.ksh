# fwmatch.ksh PATTERNS DMESG prints, one per line, the drivers whose
# firmware pattern matches DMESG, decided the way fw_update.sh
# (devices_in_dmesg, 1.65) decides: the last boot after a newline, the
# default rule ^driverN at, ^ as a newline, fields split at *, and a
# [[ = ]] glob with *([!newline]) between fields. TestFirmwareAgreesWithKsh
# runs it under mksh and compares with MatchFirmware. PATTERNS holds
# "driver<TAB>pattern" lines.
set -o noglob
nl='
'
text="$(echo; sed -n 'H;/^OpenBSD/h;${g;p;}' "$2")"
last=
while read -r drv pat; do
	[ "$drv" = "$last" ] && continue
	[ -n "$pat" ] || pat="${nl}${drv}[0-9] at "
	case $pat in
	^*) pat="${nl}${pat#^}" ;;
	esac
	IFS='*'
	set -- $pat
	unset IFS
	case $# in
	1|2|3) [[ $text = *$1*([!$nl])${2-}*([!$nl])${3-}* ]] || continue ;;
	*) echo "bad pattern: $pat" >&2; exit 1 ;;
	esac
	echo "$drv"
	last=$drv
done < "$1"
