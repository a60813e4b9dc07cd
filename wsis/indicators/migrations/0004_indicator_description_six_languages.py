# The indicator description in the six languages: the English column keeps the existing text.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_indicator_vintage'),
    ]

    operations = [
        migrations.RenameField(model_name='indicator', old_name='description', new_name='description_en'),
        migrations.AddField(
            model_name='indicator',
            name='description_ar',
            field=models.TextField(blank=True, default='', verbose_name='description (ar)'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='description_en',
            field=models.TextField(blank=True, default='', verbose_name='description (en)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='description_es',
            field=models.TextField(blank=True, default='', verbose_name='description (es)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='description_fr',
            field=models.TextField(blank=True, default='', verbose_name='description (fr)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='description_ru',
            field=models.TextField(blank=True, default='', verbose_name='description (ru)'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='description_zh_hans',
            field=models.TextField(blank=True, default='', verbose_name='description (zh-hans)'),
        ),
    ]
