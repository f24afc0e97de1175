from django.core.management.base import BaseCommand

from webhooks.services.deliveries import deliveries_due, delivery_attempt


class Command(BaseCommand):
    help = "Send the webhook deliveries whose (re)try is due (what Celery beat does each minute)."

    def handle(self, *args, **options):
        ids = deliveries_due()
        states: dict[str, int] = {}
        for delivery_id in ids:
            delivery = delivery_attempt(delivery_id=delivery_id)
            if delivery is not None:
                states[delivery.state] = states.get(delivery.state, 0) + 1
        summary = ", ".join(f"{n} {s}" for s, n in sorted(states.items())) or "nothing due"
        self.stdout.write(f"Webhook deliveries: {len(ids)} due ({summary}).")
