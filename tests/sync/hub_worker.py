"""A hub process for the crash test: receives dossiers and syncs in a loop until it is killed.

Before each risky step it prints a marker and pauses a moment, so the test can SIGKILL it exactly there:
LOCAL (a dossier was just committed locally), SENDING (a push request is on the wire), ACKING (the city
answered and committed; the acknowledgements are not stored yet), APPLYING (inside the transaction that
applies pulled changes and moves the cursor). Run: python -m tests.sync.hub_worker DB URL TOKEN SEED
"""

from __future__ import annotations

import faulthandler
import random
import signal
import sys
import time
import uuid

import httpx

from counter_app.city import changes as city_changes
from counter_app.city import outbox
from counter_app.local.office import LocalOffice
from counter_app.store import Store
from counter_app.views.dossiers import ApplicantIn, IntakeForm
from sync import client as sync_client

PAUSE = 0.05


def mark(step: str) -> None:
    print(step, flush=True)
    time.sleep(PAUSE)


def main() -> None:
    db, url, token, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    faulthandler.register(signal.SIGUSR1)  # the test asks for our stacks when we seem stuck
    rng = random.Random(seed)
    office = LocalOffice(Store.open(db, backup_before_upgrade=False))

    real_record, real_apply = outbox.record_results, city_changes.apply_changes

    def record(*args, **kwargs):
        mark("ACKING")
        return real_record(*args, **kwargs)

    def apply(session, changes, **kwargs):
        result = real_apply(session, changes, **kwargs)
        if changes:
            mark("APPLYING")  # still inside the transaction: killed here, nothing of it stays
        return result

    outbox.record_results, city_changes.apply_changes = record, apply  # the client calls them through these

    class Marking(httpx.Client):
        def request(self, method, url, **kwargs):
            if url == "/v1/sync/push":
                mark("SENDING")
            return super().request(method, url, **kwargs)

    http = Marking(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    client = sync_client.SyncClient(office.store, http)
    print("READY", flush=True)
    for _ in range(1000):
        d = office.receive(IntakeForm(submission_id=str(uuid.UUID(int=rng.getrandbits(128))), procedure="ct.ban-sao",
                                      applicant=ApplicantIn(name=f"Người Thử {rng.randint(1, 10**6)}",
                                                            id_number="001090012345", address="Số 1 Hàng Bông")),
                           actor="canbo1")
        if rng.random() < 0.5:
            office.start_processing(d.code, actor="canbo1")
        mark("LOCAL")
        client.round()
        print("ROUND", flush=True)


if __name__ == "__main__":
    main()
