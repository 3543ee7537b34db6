#!/usr/bin/env bash
# Installs the Debian tools fedsim's tests drive as independent peers: xmlsec1 signs SAML the way other
# IdPs do, Chromium runs the browser test, the AWS CLI and boto3 run the STS flows as users would.
# Runs before `npm test`. As root (CI, containers) it installs what is missing; otherwise it says what to install.
set -u
missing=()
command -v xmlsec1 >/dev/null 2>&1 || missing+=(xmlsec1)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/aws ] || missing+=(awscli)
/usr/bin/python3 -c "import boto3" >/dev/null 2>&1 || missing+=(python3-boto3)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "fedsim tests: installing ${missing[*]} from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || {
    echo "fedsim tests: could not install ${missing[*]}; the tests that need them will fail" >&2
    exit 0
  }
else
  echo "fedsim tests: missing ${missing[*]}; install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) or the tests that need them fail" >&2
fi
