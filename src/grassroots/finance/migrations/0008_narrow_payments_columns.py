# The payment rows lose the columns their split and batch now hold (0007 moved them).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0007_narrow_payments"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="payment",
            name="payment_shares_add_up",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="amount",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="band",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="branch",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="branch_pence",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="currency",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="national",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="national_pence",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="recorded_at",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="recorded_by",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="region",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="region_pence",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="ward",
        ),
        migrations.RemoveField(
            model_name="payment",
            name="ward_pence",
        ),
        migrations.AlterField(
            model_name="payment",
            name="split",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payments",
                to="finance.paymentsplit",
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="batch",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payments",
                to="finance.paymentbatch",
            ),
        ),
    ]
