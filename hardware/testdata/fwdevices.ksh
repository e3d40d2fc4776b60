# fwdevices.ksh PATTERNS LINES prints, for each line of PATTERNS (a
# firmware_patterns line, "driver pattern") and the line of LINES with the
# same number (one dmesg line), the driver when fw_update's rule matches
# the pattern in a last boot made of an OpenBSD line and that dmesg line,
# and "-" when it does not. The pattern line is read as fw_update.sh
# (devices_in_dmesg, 1.65) reads it, and matched as fwmatch.ksh matches.
# TestDeviceLinesAgreeWithKsh runs it under mksh and compares with the Go
# matcher.
set -o noglob
nl='
'
while read -r drv pat && read -r line <&3; do
	text="${nl}OpenBSD 7.8 (RAMDISK_CD) #1${nl}${line}"
	[ -n "$pat" ] || pat="${nl}${drv}[0-9] at "
	case $pat in
	^*) pat="${nl}${pat#^}" ;;
	esac
	IFS='*'
	set -- $pat
	unset IFS
	case $# in
	1|2|3)
		if [[ $text = *$1*([!$nl])${2-}*([!$nl])${3-}* ]]; then
			echo "$drv"
		else
			echo -
		fi
		;;
	*) echo "bad pattern: $pat" >&2; exit 1 ;;
	esac
done < "$1" 3< "$2"
