// Next's defaults; OpenNext needs a config file to recognise the app.
export default {};
