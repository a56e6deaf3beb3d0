from django.db import models


class School(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        managed = False
        db_table = "core_school"

    def __str__(self):
        return self.name


class Teacher(models.Model):
    staff_no = models.CharField(max_length=30)
    name = models.CharField(max_length=50)
    gender = models.CharField(max_length=1)
    education = models.SmallIntegerField()
    title = models.SmallIntegerField()
    subject = models.CharField(max_length=30)
    is_active = models.BooleanField()
    school = models.ForeignKey(School, models.DO_NOTHING)

    class Meta:
        managed = False
        db_table = "teachers_teacher"

    def __str__(self):
        return self.name
