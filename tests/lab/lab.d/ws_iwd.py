# SPDX-License-Identifier: Apache-2.0
'''cups-wps-lab: iwd on ws (a python-dbusmock template).

Only what tells that iwd manages a link: net.connman.iwd with an object
manager at "/" listing a station device (net.connman.iwd.Device, Name = the
link) for each link added with org.freedesktop.DBus.Mock.AddLabLink(link,
address) on "/". iwd's WPS (SimpleConfiguration) is not there: cups-wps only
tells the person to use iwctl.

  python3 -m dbusmock --system -t ws_iwd.py -l /dev/null
'''

import dbus
from dbusmock import MOCK_IFACE

BUS_NAME = 'net.connman.iwd'
MAIN_OBJ = '/'
SYSTEM_BUS = True
IS_OBJECT_MANAGER = True
DEVICE_IFACE = 'net.connman.iwd.Device'


def add_lab_link(main, link, _address):
    main.lab_devices += 1
    path = f'/net/connman/iwd/0/{main.lab_devices}'
    main.AddObject(path, DEVICE_IFACE, {
        'Name': dbus.String(str(link)),
        'Powered': dbus.Boolean(True),
        'Mode': dbus.String('station'),
        'Adapter': dbus.ObjectPath('/net/connman/iwd/0'),
    }, [])


def load(mock, _parameters):
    mock.lab_devices = 0
    mock.AddMethod(MOCK_IFACE, 'AddLabLink', 'ss', '', add_lab_link)
