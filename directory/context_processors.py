from django.conf import settings


def site(request):
    return {"ICP_NUMBER": settings.ICP_NUMBER}
