from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse(f"dummy for {request.program.slug}")


program_patterns = [path("hello/", hello, name="hello")]
