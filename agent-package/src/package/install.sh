#!/usr/bin/env bash
# Installs the CardRenew agent for the current user only: no administrator rights, nothing outside $HOME.
#
#   ./install.sh --user --allow-origin https://renew.example.gov.tw --module /usr/lib/x86_64-linux-gnu/libHiCOS.so \
#                [--allow-origin URL ...] [--port N] [--ca-file FILE] [--autostart auto|systemd|xdg|none] [--no-start]
#   ./install.sh --uninstall
#
# What it writes (XDG base directories; the defaults in brackets):
#   the program        $XDG_DATA_HOME/cardrenew            [~/.local/share/cardrenew]  (bin/cardrenew, its own Java runtime)
#   the settings       $XDG_CONFIG_HOME/cardrenew/agent.properties  [~/.config/...]  module=, allow-origin=, port=, ca-file=
#   autostart          systemd user unit ~/.config/systemd/user/cardrenew-agent.service (enabled for default.target),
#                      or an XDG autostart entry ~/.config/autostart/cardrenew-agent.desktop (desktops without a
#                      systemd user manager); "auto" picks the unit when `systemctl --user` answers, else the entry.
# A command for the terminal: ~/.local/bin/cardrenew (status, renew, agent; see cardrenew --help).
# Re-running it upgrades in place (settings rewritten from the options, the old file kept as agent.properties.bak).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
data_dir="${XDG_DATA_HOME:-$HOME/.local/share}/cardrenew"
config_dir="${XDG_CONFIG_HOME:-$HOME/.config}/cardrenew"
autostart_dir="${XDG_CONFIG_HOME:-$HOME/.config}/autostart"
unit_dir="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"
bin_dir="$HOME/.local/bin"
unit=cardrenew-agent.service

fail() { echo "install.sh: $*" >&2; exit 2; }

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

origins=() module="" port="" ca_file="" autostart=auto start_now=true uninstall=false
while [ $# -gt 0 ]; do
  case "$1" in
    --user) ;;  # the only mode: per user
    --allow-origin) [ $# -ge 2 ] || fail "--allow-origin needs a URL"; origins+=("$2"); shift ;;
    --module) [ $# -ge 2 ] || fail "--module needs a path"; module=$2; shift ;;
    --port) [ $# -ge 2 ] || fail "--port needs a number"; port=$2; shift ;;
    --ca-file) [ $# -ge 2 ] || fail "--ca-file needs a file"; ca_file=$2; shift ;;
    --autostart) [ $# -ge 2 ] || fail "--autostart needs auto, systemd, xdg or none"; autostart=$2; shift ;;
    --no-start) start_now=false ;;
    --uninstall) uninstall=true ;;
    -h|--help) usage; exit 0 ;;
    *) fail "unknown option $1 (see --help)" ;;
  esac
  shift
done

# Per user means as the holder: run as root it would install for root, and the card bridge must run as the holder.
[ "$(id -u)" -ne 0 ] || fail "run this as the card holder, not as root: it installs for the current user only"

systemd_user() { command -v systemctl >/dev/null && systemctl --user show-environment >/dev/null 2>&1; }

stop_and_remove_autostart() {
  if [ -f "$unit_dir/$unit" ] && systemd_user; then
    systemctl --user disable --now "$unit" >/dev/null 2>&1 || true
  fi
  rm -f "$unit_dir/$unit" "$unit_dir/default.target.wants/$unit" "$autostart_dir/cardrenew-agent.desktop"
}

if $uninstall; then
  stop_and_remove_autostart
  rm -rf "$data_dir"
  rm -f "$bin_dir/cardrenew"
  echo "CardRenew agent removed (settings kept in $config_dir)"
  exit 0
fi

[ ${#origins[@]} -gt 0 ] || fail "name the renewal site: --allow-origin https://renew.example.gov.tw"
for o in "${origins[@]}"; do
  # An origin: scheme, host and port only; the bridge answers exactly these pages.
  [[ "$o" =~ ^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$ ]] || fail "not an origin (scheme://host[:port], no path): $o"
done
[ -n "$module" ] || fail "name the card's PKCS#11 library: --module /path/to/lib.so"
[[ "$module" = /* ]] || fail "--module must be an absolute path: $module"
[ -f "$module" ] || echo "install.sh: warning: $module does not exist yet (install the card reader software)" >&2
if [ -n "$port" ]; then
  [[ "$port" =~ ^[0-9]{1,5}$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || fail "--port must be 1-65535: $port"
fi
if [ -n "$ca_file" ]; then
  [ -f "$ca_file" ] || fail "no such CA file: $ca_file"
fi
case "$autostart" in
  auto) if systemd_user; then autostart=systemd; else autostart=xdg; fi ;;
  systemd|xdg|none) ;;
  *) fail "--autostart must be auto, systemd, xdg or none: $autostart" ;;
esac
[ -x "$here/app/bin/cardrenew" ] || fail "no app/bin/cardrenew beside install.sh: unpack the whole package first"

# The program: copied beside, then swapped in, so an upgrade never leaves half a program.
stop_and_remove_autostart
mkdir -p "$(dirname "$data_dir")" "$config_dir" "$bin_dir"
rm -rf "$data_dir.new"
cp -a "$here/app" "$data_dir.new"
rm -rf "$data_dir"
mv "$data_dir.new" "$data_dir"
ln -sfn "$data_dir/bin/cardrenew" "$bin_dir/cardrenew"

# The settings the agent reads at start (BridgeSettings): the desktop team's values, nothing else.
properties="$config_dir/agent.properties"
[ -f "$properties" ] && cp "$properties" "$properties.bak"
{
  echo "# Written by the CardRenew installer on $(date -u +%Y-%m-%dT%H:%M:%SZ); options of 'cardrenew agent' win over it."
  echo "module=$module"
  echo "allow-origin=$(IFS=,; echo "${origins[*]}")"
  [ -z "$port" ] || echo "port=$port"
  if [ -n "$ca_file" ]; then
    # A private copy: the agent keeps trusting it whatever happens to the file the package came with.
    install -m 644 "$ca_file" "$config_dir/ca.pem"
    echo "ca-file=$config_dir/ca.pem"
  fi
} > "$properties.new"
mv "$properties.new" "$properties"

# --config names the file outright: Java finds the home from the password database, not from $HOME.
command_line="\"$data_dir/bin/cardrenew\" agent --config \"$properties\""
case "$autostart" in
  systemd)
    mkdir -p "$unit_dir/default.target.wants"
    cat > "$unit_dir/$unit" <<UNIT
[Unit]
Description=CardRenew card bridge for the renewal page

[Service]
ExecStart=$command_line
Restart=on-failure
RestartSec=5

[Install]
WantedBy=default.target
UNIT
    # What `systemctl --user enable` does, so it also works before the user manager runs (first login).
    ln -sfn "../$unit" "$unit_dir/default.target.wants/$unit"
    if $start_now && systemd_user; then
      systemctl --user daemon-reload
      systemctl --user restart "$unit"
    fi
    ;;
  xdg)
    mkdir -p "$autostart_dir"
    cat > "$autostart_dir/cardrenew-agent.desktop" <<DESKTOP
[Desktop Entry]
Type=Application
Name=CardRenew card bridge
Name[zh_TW]=CardRenew 卡片元件
Comment=Lets the renewal page in the browser reach the smart card
Comment[zh_TW]=讓瀏覽器中的憑證展期網頁使用晶片卡
Exec=$command_line
Terminal=false
NoDisplay=true
X-GNOME-Autostart-enabled=true
DESKTOP
    if $start_now; then
      mkdir -p "$data_dir/log"
      nohup "$data_dir/bin/cardrenew" agent >> "$data_dir/log/agent.log" 2>&1 &
    fi
    ;;
  none) ;;
esac

echo "CardRenew agent $(cat "$here/VERSION") installed for $(id -un) in $data_dir"
echo "  settings:  $properties"
echo "  autostart: $autostart"
