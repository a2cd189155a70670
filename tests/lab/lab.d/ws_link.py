# SPDX-License-Identifier: Apache-2.0
'''cups-wps-lab: what a network manager does to ws once it has joined (or
left) a printer's own network on a link wl<N>: ws gets (or loses) its
address there. Shared by the stand-ins of ws's network managers (the
python-dbusmock templates ws_*.py), which run inside ws's namespaces.'''

import os
import subprocess
import time


def _log(lab_dir, text):
    if lab_dir:
        with open(os.path.join(lab_dir, 'ws', 'log', 'join.log'), 'a', encoding='UTF-8') as f:
            f.write(f'{time.time():.6f} {text}\n')


def join(lab_dir, link, address, by):
    '''ws's address on the printer's network (IPv4, and IPv6 link-local).'''
    subprocess.run(['ip', 'addr', 'replace', address, 'dev', link], check=True)
    subprocess.run(['sysctl', '-qw', f'net.ipv6.conf.{link}.disable_ipv6=0'], check=True)
    _log(lab_dir, f'{by}: ws joined the printer\'s network on {link} ({address})')


def leave(lab_dir, link, by):
    '''ws off the printer's network again: no address there.'''
    subprocess.run(['ip', 'addr', 'flush', 'dev', link], check=True)
    subprocess.run(['sysctl', '-qw', f'net.ipv6.conf.{link}.disable_ipv6=1'], check=True)
    _log(lab_dir, f'{by}: ws left the printer\'s network on {link}')
