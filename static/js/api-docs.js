// The API's documentation page (/api/v1/docs/): Swagger UI over the OpenAPI description.
// A static file, so the page needs no inline script under the Content Security Policy.
"use strict";
(function () {
  var container = document.getElementById("api-docs");
  window.ui = SwaggerUIBundle({
    url: container.getAttribute("data-schema-url"),
    domNode: container,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The API takes no credentials: requests from the page are made without cookies.
    requestInterceptor: function (request) {
      request.credentials = "omit";
      return request;
    },
  });
})();
