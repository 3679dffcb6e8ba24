"""SSH Keypairs: generate a key pair for SSH tunnels to the warehouse (session only)."""

from __future__ import annotations

from typing import Any

from mockbi.core.messages import OpRequest, Reply
from mockbi.core.registry import Registry
from mockbi.vendors.lightdash import models as m
from mockbi.vendors.lightdash.handlers._common import me
from mockbi.vendors.lightdash.store import LightdashStore

registry = Registry("lightdash")


@registry.operation("createSshKeyPair")
def create_ssh_key_pair(store: LightdashStore, req: OpRequest) -> Any:
    """Generate a new key pair and return its public key; 201."""
    me(req)
    body = store.token(372, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    pair = m.SshKeyPair(publicKey=f"ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ{body} (generated-by-lightdash)",
                        privateKey=f"-----BEGIN OPENSSH PRIVATE KEY-----\n{store.token(64)}\n"
                                   "-----END OPENSSH PRIVATE KEY-----\n",
                        createdAt=store.now_iso())
    store.ssh_key_pairs.append(pair)
    return Reply(body={"publicKey": pair.publicKey}, status=201)
